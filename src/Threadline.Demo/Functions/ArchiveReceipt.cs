using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Functions;

/// <summary>Triggered by each receipt upload: copies the receipt's content to the archive bucket.</summary>
internal static class ArchiveReceipt
{
    public static FunctionDefinition Definition(DemoContext demo) => new(DemoNames.ArchiveReceipt, () =>
    {
        var s3 = demo.Clients.S3();
        return async (input, _) =>
        {
            var archived = new JsonArray();
            foreach (var record in input?["Records"]?.AsArray() ?? [])
            {
                var key = Uri.UnescapeDataString(record!["s3"]!["object"]!["key"]!.GetValue<string>().Replace('+', ' '));
                using var receipt = await s3.GetObjectAsync(DemoNames.ReceiptsBucket, key).ConfigureAwait(false);
                using var reader = new StreamReader(receipt.ResponseStream);
                var content = await reader.ReadToEndAsync().ConfigureAwait(false);
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = DemoNames.ArchiveBucket, Key = key, ContentBody = content }).ConfigureAwait(false);
                archived.Add(key);
            }
            return new JsonObject { ["archived"] = archived };
        };
    }) { MemoryMb = 128, Timeout = TimeSpan.FromSeconds(5) };
}
