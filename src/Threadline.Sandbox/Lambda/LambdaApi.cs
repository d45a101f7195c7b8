using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Mappings;
using Threadline.Sandbox.Protocol;

namespace Threadline.Sandbox.Lambda;

/// <summary>
/// Lambda's REST JSON API (<c>/2015-03-31/...</c>): Invoke (RequestResponse and Event, <c>x-amzn-RequestId</c> is the
/// callee's request id), GetFunction, ListFunctions and the event-source mapping operations.
/// </summary>
internal sealed class LambdaApi(SandboxHost host) : IRestService
{
    public async Task HandleAsync(HttpContext http)
    {
        var segments = (http.Request.Path.Value ?? "").Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        try
        {
            var (status, body) = (http.Request.Method, segments) switch
            {
                ("POST", [_, "functions", var name, "invocations"]) => await InvokeAsync(http, name).ConfigureAwait(false),
                ("GET", [_, "functions", var name]) => (200, new JsonObject { ["Configuration"] = Configuration(host.Functions.Current(name)) }.ToWire()),
                ("GET", [_, "functions"]) => (200, ListFunctions().ToWire()),
                ("POST", [_, "event-source-mappings"]) => (202, Mapping(host.Mappings.Add(MappingConfig(await ReadJsonAsync(http).ConfigureAwait(false))), "Creating").ToWire()),
                ("GET", [_, "event-source-mappings"]) => (200, new JsonObject { ["EventSourceMappings"] = new JsonArray([.. host.Mappings.List().Select(m => (JsonNode)Mapping(m, "Enabled"))]) }.ToWire()),
                ("GET", [_, "event-source-mappings", var uuid]) => (200, Mapping(host.Mappings.Get(uuid), "Enabled").ToWire()),
                ("DELETE", [_, "event-source-mappings", var uuid]) => (202, Mapping(host.Mappings.Delete(uuid), "Deleting").ToWire()),
                _ => throw new AwsException("UnknownOperationException", $"Unknown operation {http.Request.Method} {http.Request.Path}", 404),
            };
            http.Response.StatusCode = status;
            if (body is not null)
            {
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (AwsException e)
        {
            http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            http.Response.Headers["x-amzn-ErrorType"] = e.Code;
            http.Response.StatusCode = e.StatusCode;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(new JsonObject { ["Type"] = e.IsSenderFault ? "User" : "Service", ["message"] = e.Message }.ToWire(), http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpContext http) =>
        await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false) as JsonObject
            ?? throw new AwsException("InvalidRequestContentException", "Could not parse request body into json");

    private async Task<(int, string?)> InvokeAsync(HttpContext http, string name)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        JsonNode? payload;
        try
        {
            payload = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new AwsException("InvalidRequestContentException", "Could not parse request body into json");
        }

        switch (http.Request.Headers["X-Amz-Invocation-Type"].ToString())
        {
            case "Event":
                http.Response.Headers["x-amzn-RequestId"] = host.Functions.InvokeEvent(name, payload);
                return (202, null);
            case "DryRun":
                host.Functions.Current(name);
                http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                return (204, null);
            default:
                var record = await host.Functions.InvokeAsync(name, payload).ConfigureAwait(false);
                http.Response.Headers["x-amzn-RequestId"] = record.RequestId;
                http.Response.Headers["X-Amz-Executed-Version"] = record.Version;
                if (record.Error is { } error)
                {
                    http.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
                    return (200, error.ToJson().ToWire());
                }

                return (200, record.Response?.ToWire() ?? "null");
        }
    }

    private JsonObject ListFunctions() => new()
    {
        ["Functions"] = new JsonArray([.. host.Functions.List().Select(f => (JsonNode)Configuration(f))]),
    };

    private static JsonObject Configuration(FunctionVersionInfo function) => new()
    {
        ["FunctionName"] = function.Name,
        ["FunctionArn"] = function.FunctionArn,
        ["Runtime"] = "dotnet8",
        ["Handler"] = function.Name,
        ["MemorySize"] = function.Definition.MemoryMb,
        ["Timeout"] = (int)Math.Ceiling(function.Definition.Timeout.TotalSeconds),
        ["Version"] = function.Version,
        ["State"] = "Active",
        ["PackageType"] = "Zip",
        ["Architectures"] = new JsonArray("x86_64"),
    };

    private static EventSourceMappingConfig MappingConfig(JsonObject input) =>
        new(input.RequiredString("EventSourceArn"), Arns.FunctionNameOf(input.RequiredString("FunctionName")))
        {
            BatchSize = input.OptionalInt("BatchSize"),
            ReportBatchItemFailures = input.Array("FunctionResponseTypes").Any(t => t?.GetValue<string>() == "ReportBatchItemFailures"),
            MaximumRetryAttempts = input.OptionalInt("MaximumRetryAttempts") ?? -1,
            BisectBatchOnFunctionError = input["BisectBatchOnFunctionError"]?.GetValue<bool>() ?? false,
            OnFailureDestination = input.OptionalObject("DestinationConfig")?.OptionalObject("OnFailure")?.OptionalString("Destination"),
            StartingPosition = input.OptionalString("StartingPosition") == "LATEST" ? StartingPosition.Latest : StartingPosition.TrimHorizon,
            MaximumConcurrency = input.OptionalObject("ScalingConfig")?.OptionalInt("MaximumConcurrency") ?? 2,
            MaximumBatchingWindow = TimeSpan.FromSeconds(input.OptionalInt("MaximumBatchingWindowInSeconds") ?? 0),
        };

    private JsonObject Mapping(EventSourceMapping mapping, string state)
    {
        var config = mapping.Config;
        var json = new JsonObject
        {
            ["UUID"] = mapping.Uuid,
            ["EventSourceArn"] = config.EventSourceArn,
            ["FunctionArn"] = host.Arns.Function(config.FunctionName),
            ["BatchSize"] = config.BatchSize ?? (Arns.ServiceOf(config.EventSourceArn) == "sqs" ? 10 : 100),
            ["State"] = state,
            ["StateTransitionReason"] = "USER_INITIATED",
            ["LastModified"] = mapping.Created.ToUnixTimeMilliseconds() / 1000.0,
            ["MaximumBatchingWindowInSeconds"] = (int)config.MaximumBatchingWindow.TotalSeconds,
            ["FunctionResponseTypes"] = config.ReportBatchItemFailures ? new JsonArray("ReportBatchItemFailures") : new JsonArray(),
        };
        if (Arns.ServiceOf(config.EventSourceArn) != "sqs")
        {
            json["StartingPosition"] = config.StartingPosition == StartingPosition.Latest ? "LATEST" : "TRIM_HORIZON";
            json["MaximumRetryAttempts"] = config.MaximumRetryAttempts;
            json["BisectBatchOnFunctionError"] = config.BisectBatchOnFunctionError;
            if (config.OnFailureDestination is { } destination)
            {
                json["DestinationConfig"] = new JsonObject { ["OnFailure"] = new JsonObject { ["Destination"] = destination } };
            }
        }

        json["ScalingConfig"] = new JsonObject { ["MaximumConcurrency"] = config.MaximumConcurrency };
        return json;
    }
}
