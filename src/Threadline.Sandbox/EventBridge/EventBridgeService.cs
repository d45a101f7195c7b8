using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Threadline.Sandbox.Protocol;

namespace Threadline.Sandbox.EventBridge;

/// <summary>
/// EventBridge on the AWS JSON 1.1 protocol (<c>AWSEvents.*</c>): event buses, rules with event patterns or
/// <c>rate(...)</c> schedules, targets (functions, queues, topics), PutEvents with an <c>EventId</c> per entry that is
/// the delivered event's <c>id</c>.
/// </summary>
public sealed partial class EventBridgeService : IJsonService
{
    private readonly Arns _arns;
    private readonly SandboxOptions _options;
    private readonly Deliveries _deliveries;
    private readonly BackgroundWork _background;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Rule>> _buses = new(StringComparer.Ordinal) { ["default"] = [] };

    internal EventBridgeService(Arns arns, SandboxOptions options, Deliveries deliveries, BackgroundWork background)
    {
        _arns = arns;
        _options = options;
        _deliveries = deliveries;
        _background = background;
    }

    string IJsonService.TargetPrefix => "AWSEvents";

    string IJsonService.ErrorTypePrefix => "";

    string IJsonService.ContentType => "application/x-amz-json-1.1";

    /// <summary>Creates or replaces a rule with an event pattern (JSON) or a <c>rate(...)</c> schedule; returns its ARN.</summary>
    public string PutRule(string name, string? eventPattern = null, string? scheduleExpression = null, string busName = "default")
    {
        var input = new JsonObject { ["Name"] = name, ["EventBusName"] = busName, ["EventPattern"] = eventPattern, ["ScheduleExpression"] = scheduleExpression };
        lock (_lock)
        {
            return PutRule(input)["RuleArn"]!.GetValue<string>();
        }
    }

    /// <summary>Adds (or replaces, by id) a function, queue or topic target of a rule.</summary>
    public void PutTarget(string ruleName, string targetId, string targetArn, string busName = "default")
    {
        var input = new JsonObject
        {
            ["Rule"] = ruleName,
            ["EventBusName"] = busName,
            ["Targets"] = new JsonArray(new JsonObject { ["Id"] = targetId, ["Arn"] = targetArn }),
        };
        lock (_lock)
        {
            if (PutTargets(input)["FailedEntries"]!.AsArray().FirstOrDefault()?["ErrorMessage"]?.GetValue<string>() is { } error)
            {
                throw new AwsException("ResourceNotFoundException", error);
            }
        }
    }

    /// <summary>Fires a scheduled rule now, as its schedule would: a <c>Scheduled Event</c> to each target.</summary>
    public void FireSchedule(string ruleName, string busName = "default")
    {
        Rule rule;
        lock (_lock)
        {
            rule = FindRule(busName, ruleName);
        }

        Fire(rule);
    }

    Task<JsonNode> IJsonService.HandleAsync(string operation, JsonObject input, AwsCall call, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<JsonNode>(operation switch
            {
                "CreateEventBus" => CreateEventBus(input.RequiredString("Name")),
                "DescribeEventBus" => DescribeEventBus(input.OptionalString("Name") ?? "default"),
                "DeleteEventBus" => DeleteEventBus(input.RequiredString("Name")),
                "PutRule" => PutRule(input),
                "DescribeRule" => DescribeRule(FindRule(BusOf(input), input.RequiredString("Name"))),
                "DeleteRule" => DeleteRule(BusOf(input), input.RequiredString("Name")),
                "ListRules" => new JsonObject { ["Rules"] = new JsonArray([.. Bus(BusOf(input)).Select(r => (JsonNode)DescribeRule(r))]) },
                "PutTargets" => PutTargets(input),
                "RemoveTargets" => RemoveTargets(input),
                "ListTargetsByRule" => new JsonObject { ["Targets"] = new JsonArray([.. FindRule(BusOf(input), input.RequiredString("Rule")).Targets.Select(t => (JsonNode)t.Json.DeepClone())]) },
                "PutEvents" => PutEvents(input, call),
                _ => throw new AwsException("UnknownOperationException", $"Operation {operation} is not emulated"),
            });
        }
    }

    private static string BusOf(JsonObject input) => Arns.NameOf(input.OptionalString("EventBusName") ?? "default");

    private List<Rule> Bus(string name) =>
        _buses.TryGetValue(Arns.NameOf(name), out var rules) ? rules : throw new AwsException("ResourceNotFoundException", $"Event bus {name} does not exist.");

    private Rule FindRule(string bus, string name) =>
        Bus(bus).FirstOrDefault(r => r.Name == name) ?? throw new AwsException("ResourceNotFoundException", $"Rule {name} does not exist on EventBus {bus}.");

    private JsonObject CreateEventBus(string name)
    {
        if (!_buses.TryAdd(name, []))
        {
            throw new AwsException("ResourceAlreadyExistsException", $"Event bus {name} already exists.");
        }

        return new JsonObject { ["EventBusArn"] = _arns.EventBus(name) };
    }

    private JsonObject DescribeEventBus(string name)
    {
        Bus(name);
        return new JsonObject { ["Name"] = Arns.NameOf(name), ["Arn"] = _arns.EventBus(Arns.NameOf(name)) };
    }

    private JsonObject DeleteEventBus(string name)
    {
        foreach (var rule in Bus(name))
        {
            rule.Stop.Cancel();
        }

        _buses.Remove(name);
        return [];
    }

    private JsonObject PutRule(JsonObject input)
    {
        var bus = BusOf(input);
        var rules = Bus(bus);
        var name = input.RequiredString("Name");
        var pattern = input.OptionalString("EventPattern") is { } text
            ? JsonNode.Parse(text) as JsonObject ?? throw new AwsException("InvalidEventPatternException", "Event pattern is not valid")
            : null;
        var schedule = input.OptionalString("ScheduleExpression") is { } expression ? ParseRate(expression) : (TimeSpan?)null;
        if (pattern is null && schedule is null)
        {
            throw new AwsException("ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }

        var existing = rules.FirstOrDefault(r => r.Name == name);
        var rule = new Rule(name, _arns.Rule(bus, name), bus, pattern, input.OptionalString("ScheduleExpression"), input.OptionalString("State") != "DISABLED", CancellationTokenSource.CreateLinkedTokenSource(_background.Stopping));
        if (existing is not null)
        {
            existing.Stop.Cancel();
            rule.Targets.AddRange(existing.Targets);
            rules.Remove(existing);
        }

        rules.Add(rule);
        if (schedule is { } period)
        {
            var scaled = TimeSpan.FromTicks((long)(period.Ticks * _options.ScheduleTimeScale));
            _background.Run(async _ =>
            {
                while (!rule.Stop.IsCancellationRequested)
                {
                    await Task.Delay(scaled, _options.TimeProvider, rule.Stop.Token).ConfigureAwait(false);
                    Fire(rule);
                }
            });
        }

        return new JsonObject { ["RuleArn"] = rule.Arn };
    }

    private static TimeSpan ParseRate(string expression)
    {
        var match = Rate().Match(expression);
        if (!match.Success)
        {
            throw new AwsException("ValidationException", $"Parameter ScheduleExpression is not valid (only rate(...) schedules are emulated): {expression}");
        }

        var value = int.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "minute" or "minutes" => TimeSpan.FromMinutes(value),
            "hour" or "hours" => TimeSpan.FromHours(value),
            _ => TimeSpan.FromDays(value),
        };
    }

    private static JsonObject DescribeRule(Rule rule)
    {
        var json = new JsonObject { ["Name"] = rule.Name, ["Arn"] = rule.Arn, ["EventBusName"] = rule.Bus, ["State"] = rule.Enabled ? "ENABLED" : "DISABLED" };
        if (rule.Pattern is not null)
        {
            json["EventPattern"] = rule.Pattern.ToWire();
        }

        if (rule.Schedule is not null)
        {
            json["ScheduleExpression"] = rule.Schedule;
        }

        return json;
    }

    private JsonObject DeleteRule(string bus, string name)
    {
        var rule = FindRule(bus, name);
        rule.Stop.Cancel();
        Bus(bus).Remove(rule);
        return [];
    }

    private JsonObject PutTargets(JsonObject input)
    {
        var rule = FindRule(BusOf(input), input.RequiredString("Rule"));
        var failed = new JsonArray();
        foreach (var target in input.Objects("Targets"))
        {
            var id = target.RequiredString("Id");
            var arn = target.RequiredString("Arn");
            if (!_deliveries.Exists(arn))
            {
                failed.Add(new JsonObject { ["TargetId"] = id, ["ErrorCode"] = "ResourceNotFoundException", ["ErrorMessage"] = $"Target {arn} does not exist or is not emulated." });
                continue;
            }

            rule.Targets.RemoveAll(t => t.Id == id);
            rule.Targets.Add(new Target(id, arn, target.OptionalString("Input"), (JsonObject)target.DeepClone()));
        }

        return new JsonObject { ["FailedEntryCount"] = failed.Count, ["FailedEntries"] = failed };
    }

    private JsonObject RemoveTargets(JsonObject input)
    {
        var rule = FindRule(BusOf(input), input.RequiredString("Rule"));
        var ids = input.Array("Ids").Select(i => i?.GetValue<string>()).ToHashSet();
        rule.Targets.RemoveAll(t => ids.Contains(t.Id));
        return new JsonObject { ["FailedEntryCount"] = 0, ["FailedEntries"] = new JsonArray() };
    }

    private JsonObject PutEvents(JsonObject input, AwsCall call)
    {
        var entries = new JsonArray();
        foreach (var entry in input.Objects("Entries"))
        {
            var source = entry.OptionalString("Source");
            var detailType = entry.OptionalString("DetailType");
            var detailText = entry.OptionalString("Detail");
            if (source is null || detailType is null || detailText is null || JsonNode.Parse(detailText) is not JsonObject detail)
            {
                entries.Add(new JsonObject { ["ErrorCode"] = "InvalidArgument", ["ErrorMessage"] = "Source, DetailType and Detail (a JSON object) are required." });
                continue;
            }

            var bus = BusOf(entry);
            var id = Guid.NewGuid().ToString();
            var @event = new JsonObject
            {
                ["version"] = "0",
                ["id"] = id,
                ["detail-type"] = detailType,
                ["source"] = source,
                ["account"] = _arns.AccountId,
                ["time"] = Time(EventTime(entry["Time"]) ?? _options.TimeProvider.GetUtcNow()),
                ["region"] = _arns.Region,
                ["resources"] = entry.Array("Resources").DeepClone(),
                ["detail"] = detail,
            };
            foreach (var rule in Bus(bus).Where(r => r.Enabled && r.Pattern is not null && EventPattern.Matches(r.Pattern, @event)))
            {
                Deliver(rule, @event, entry.OptionalString("TraceHeader") ?? call.TraceHeader);
            }

            entries.Add(new JsonObject { ["EventId"] = id });
        }

        return new JsonObject { ["FailedEntryCount"] = entries.Count(e => e?["ErrorCode"] is not null), ["Entries"] = entries };
    }

    private void Fire(Rule rule)
    {
        if (!rule.Enabled)
        {
            return;
        }

        Deliver(rule, new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "Scheduled Event",
            ["source"] = "aws.events",
            ["account"] = _arns.AccountId,
            ["time"] = Time(_options.TimeProvider.GetUtcNow()),
            ["region"] = _arns.Region,
            ["resources"] = new JsonArray(rule.Arn),
            ["detail"] = new JsonObject(),
        }, traceHeader: null);
    }

    private void Deliver(Rule rule, JsonObject @event, string? traceHeader)
    {
        List<Target> targets;
        lock (_lock)
        {
            targets = [.. rule.Targets];
        }

        foreach (var target in targets)
        {
            _deliveries.Deliver(target.Arn, target.Input is { } input ? JsonNode.Parse(input)! : @event.DeepClone(), traceHeader: traceHeader);
        }
    }

    /// <summary>An entry's <c>Time</c>: epoch seconds on the JSON protocol (the SDKs' encoding), or an ISO 8601 string.</summary>
    private static DateTimeOffset? EventTime(JsonNode? time) => time switch
    {
        JsonValue v when v.TryGetValue<double>(out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)),
        JsonValue v when v.TryGetValue<string>(out var text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^rate\((?<value>\d+) (?<unit>minute|minutes|hour|hours|day|days)\)$")]
    private static partial Regex Rate();

    private sealed record Target(string Id, string Arn, string? Input, JsonObject Json);

    private sealed record Rule(string Name, string Arn, string Bus, JsonObject? Pattern, string? Schedule, bool Enabled, CancellationTokenSource Stop)
    {
        public List<Target> Targets { get; } = [];
    }
}
