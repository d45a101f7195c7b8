using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Threadline.Demo.AwsLite.EventBridge;

/// <summary>EventBridge on AWS JSON 1.1 (<c>AWSEvents</c>): <c>PutEvents</c>.</summary>
public sealed class EventBridgeClient(AWSCredentials credentials, LiteClientConfig config) : LiteServiceClient(credentials, config)
{
    private static readonly LiteMarshaller<PutEventsRequest> PutEventsMarshaller = new(r =>
        LiteRequests.Json(r, "EventBridge", "AWSEvents.PutEvents", "1.1", new JsonObject
        {
            ["Entries"] = new JsonArray([.. r.Entries.Select(e => (JsonNode)Entry(e))]),
        }));

    private static readonly LiteJsonUnmarshaller<PutEventsResponse> PutEventsUnmarshaller = new(response =>
    {
        var body = response.Json();
        return new PutEventsResponse
        {
            FailedEntryCount = (int?)body["FailedEntryCount"],
            Entries = [.. (body["Entries"]?.AsArray() ?? []).Select(e => new PutEventsResultEntry
            {
                EventId = (string?)e?["EventId"],
                ErrorCode = (string?)e?["ErrorCode"],
                ErrorMessage = (string?)e?["ErrorMessage"],
            })],
        };
    });


    public static LiteClientConfig ConfigFor(string? serviceUrl = null, string region = "us-east-1") => new("EventBridge", "events", "2015-10-07", serviceUrl, region);

    public Task<PutEventsResponse> PutEventsAsync(PutEventsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<PutEventsRequest, PutEventsResponse>(request, PutEventsMarshaller, PutEventsUnmarshaller, cancellationToken);

    private static JsonObject Entry(PutEventsRequestEntry entry)
    {
        var json = new JsonObject();
        if (entry.EventBusName is not null)
            json["EventBusName"] = entry.EventBusName;
        if (entry.Source is not null)
            json["Source"] = entry.Source;
        if (entry.DetailType is not null)
            json["DetailType"] = entry.DetailType;
        if (entry.Detail is not null)
            json["Detail"] = entry.Detail;
        if (entry.Resources is { } resources)
            json["Resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]);
        if (entry.Time is { } time)
            json["Time"] = new DateTimeOffset(time.ToUniversalTime()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return json;
    }
}
