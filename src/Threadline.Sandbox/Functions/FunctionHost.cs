using System.Globalization;
using System.Text.Json.Nodes;

namespace Threadline.Sandbox.Functions;

/// <summary>
/// Hosts .NET functions as Lambda runs them: versions, execution environments (a cold start is the first
/// invocation of a new environment: the first ever, after an idle reclaim, after a timeout or a new version),
/// configured memory and timeout, synchronous and queued invocations with Lambda's two async retries, after which
/// the invocation record goes to the function's asynchronous on-failure destination, if it has one.
/// </summary>
public sealed class FunctionHost
{
    private const int AsyncRetries = 2;

    private readonly SandboxOptions _options;
    private readonly Arns _arns;
    private readonly BackgroundWork _background;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HostedFunction> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _asyncOnFailure = new(StringComparer.Ordinal);

    internal FunctionHost(SandboxOptions options, Arns arns, BackgroundWork background)
    {
        _options = options;
        _arns = arns;
        _background = background;
        Invocations = new ObservableLog<InvocationRecord>(options.InvocationLogCapacity);
    }

    /// <summary>Sends an invocation record to a destination (set by the host, which knows the queues and topics).</summary>
    internal Deliveries? Deliveries { get; set; }

    /// <summary>
    /// Sets (or, with null, removes) where the record of an asynchronous invocation goes when its retries are spent,
    /// as <c>PutFunctionEventInvokeConfig</c>'s <c>DestinationConfig.OnFailure</c>: an existing queue, topic or function.
    /// </summary>
    public void SetAsyncOnFailureDestination(string nameOrArn, string? destinationArn)
    {
        if (destinationArn is not null && (Arns.ServiceOf(destinationArn) is not ("sqs" or "sns" or "lambda") || Deliveries?.Exists(destinationArn) != true))
        {
            throw new AwsException("InvalidParameterValueException", $"The on-failure destination must be an existing queue, topic or function: {destinationArn}");
        }

        lock (_lock)
        {
            var name = Find(nameOrArn).Current.Definition.Name;
            if (destinationArn is null)
            {
                _asyncOnFailure.Remove(name);
            }
            else
            {
                _asyncOnFailure[name] = destinationArn;
            }
        }
    }

    /// <summary>Every completed invocation attempt, in completion order (the latest <see cref="SandboxOptions.InvocationLogCapacity"/>).</summary>
    public ObservableLog<InvocationRecord> Invocations { get; }

    /// <summary>Creates a function (version 1) or, when it exists, deploys a new version of it.</summary>
    public FunctionVersionInfo Deploy(FunctionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        lock (_lock)
        {
            if (!_functions.TryGetValue(definition.Name, out var function))
            {
                function = new HostedFunction();
                _functions[definition.Name] = function;
            }

            function.Current = new FunctionVersionInfo(
                definition, (++function.LastVersion).ToString(CultureInfo.InvariantCulture), _arns.Function(definition.Name));
            function.Idle.Clear();
            return function.Current;
        }
    }

    public bool Exists(string nameOrArn)
    {
        lock (_lock)
        {
            return _functions.ContainsKey(Arns.FunctionNameOf(nameOrArn));
        }
    }

    /// <summary>The version that new invocations run.</summary>
    public FunctionVersionInfo Current(string nameOrArn)
    {
        lock (_lock)
        {
            return Find(nameOrArn).Current;
        }
    }

    /// <summary>The current version of every function.</summary>
    public IReadOnlyList<FunctionVersionInfo> List()
    {
        lock (_lock)
        {
            return [.. _functions.Values.Select(f => f.Current)];
        }
    }

    /// <summary>Invokes synchronously (RequestResponse) and returns the completed attempt.</summary>
    public Task<InvocationRecord> InvokeAsync(string nameOrArn, JsonNode? payload) =>
        RunAsync(nameOrArn, payload, InvocationType.RequestResponse, NewRequestId(), attempt: 1);

    /// <summary>Queues an asynchronous (Event) invocation and returns its request id at once.</summary>
    /// <remarks>A failed attempt is retried twice with the same request id, as Lambda does.</remarks>
    public string InvokeEvent(string nameOrArn, JsonNode? payload)
    {
        lock (_lock)
        {
            Find(nameOrArn);
        }

        var requestId = NewRequestId();
        _background.Run(async stopping =>
        {
            for (var attempt = 1; attempt <= AsyncRetries + 1; attempt++)
            {
                var record = await RunAsync(nameOrArn, payload, InvocationType.Event, requestId, attempt).ConfigureAwait(false);
                if (!record.Failed)
                {
                    return;
                }

                if (attempt > AsyncRetries)
                {
                    SendToOnFailureDestination(record);
                    return;
                }

                await Task.Delay(_options.AsyncRetryDelay, _options.TimeProvider, stopping).ConfigureAwait(false);
            }
        });
        return requestId;
    }

    private static string NewRequestId() => Guid.NewGuid().ToString();

    /// <summary>The invocation record Lambda sends on: the condition, the request payload (the event) and the last error.</summary>
    private void SendToOnFailureDestination(InvocationRecord last)
    {
        string? destination;
        lock (_lock)
        {
            destination = _asyncOnFailure.GetValueOrDefault(last.FunctionName);
        }

        if (destination is null || Deliveries is null)
        {
            return;
        }

        Deliveries.Deliver(destination, new JsonObject
        {
            ["version"] = "1.0",
            ["timestamp"] = _options.TimeProvider.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["requestContext"] = new JsonObject
            {
                ["requestId"] = last.RequestId,
                ["functionArn"] = _arns.Function(last.FunctionName) + ":$LATEST",
                ["condition"] = "RetriesExhausted",
                ["approximateInvokeCount"] = last.Attempt,
            },
            ["requestPayload"] = last.Event?.DeepClone(),
            ["responseContext"] = new JsonObject
            {
                ["statusCode"] = 200,
                ["executedVersion"] = "$LATEST",
                ["functionError"] = "Unhandled",
            },
            ["responsePayload"] = last.Error?.ToJson(),
        });
    }

    private HostedFunction Find(string nameOrArn) =>
        _functions.TryGetValue(Arns.FunctionNameOf(nameOrArn), out var function)
            ? function
            : throw new AwsException("ResourceNotFoundException", $"Function not found: {_arns.Function(Arns.FunctionNameOf(nameOrArn))}", 404);

    private async Task<InvocationRecord> RunAsync(
        string nameOrArn, JsonNode? payload, InvocationType type, string requestId, int attempt)
    {
        var (environment, cold) = Acquire(nameOrArn);
        var version = environment.Version;
        var time = _options.TimeProvider;
        var start = time.GetUtcNow();
        var context = new LambdaContext(requestId, version, environment, start + version.Definition.Timeout, time);
        JsonNode? response = null;
        FunctionError? error = null;
        var reusable = true;
        try
        {
            var handler = environment.Handler ??= Wrap(version);
            var run = handler(payload?.DeepClone(), context);
            using var timer = new CancellationTokenSource();
            var finished = await Task.WhenAny(run, Task.Delay(version.Definition.Timeout, time, timer.Token)).ConfigureAwait(false);
            await timer.CancelAsync().ConfigureAwait(false);
            if (finished == run)
            {
                response = await run.ConfigureAwait(false);
            }
            else
            {
                reusable = false;
                var seconds = version.Definition.Timeout.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                error = new FunctionError("Sandbox.Timedout", $"{start:yyyy-MM-ddTHH:mm:ss.fffZ} {requestId} Task timed out after {seconds} seconds", []);
            }
        }
#pragma warning disable CA1031 // a function's exception is its invocation's error, never the host's
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = new FunctionError(
                e.GetType().Name,
                e.Message,
                (e.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        var end = time.GetUtcNow();
        Release(environment, reusable, end);
        var record = new InvocationRecord(
            requestId, version.Name, version.Version, type, cold, attempt, payload, response, error, start, end - start);
        Invocations.Add(record);
        return record;
    }

    /// <summary>
    /// The init phase of an environment. The wrapper runs first, as a tracer installed as a layer or at the top of
    /// the handler class would, so that it sees the clients the function's own init code creates.
    /// </summary>
    private FunctionHandler Wrap(FunctionVersionInfo version)
    {
        if (_options.HandlerWrapper is not { } wrap)
        {
            return version.Definition.CreateHandler();
        }

        FunctionHandler? inner = null;
        var wrapped = wrap((input, context) => inner!(input, context), version);
        inner = version.Definition.CreateHandler();
        return wrapped;
    }

    private (ExecutionEnvironment Environment, bool Cold) Acquire(string nameOrArn)
    {
        var now = _options.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            var function = Find(nameOrArn);
            function.Idle.RemoveAll(e => e.Version != function.Current || now - e.LastUsed > _options.IdleTimeout);
            if (function.Idle.Count > 0)
            {
                var warm = function.Idle[^1];
                function.Idle.RemoveAt(function.Idle.Count - 1);
                return (warm, false);
            }

            return (new ExecutionEnvironment(function, function.Current), true);
        }
    }

    private void Release(ExecutionEnvironment environment, bool reusable, DateTimeOffset now)
    {
        lock (_lock)
        {
            environment.LastUsed = now;
            if (reusable && environment.Function.Current == environment.Version)
            {
                environment.Function.Idle.Add(environment);
            }
        }
    }

    private sealed class HostedFunction
    {
        public FunctionVersionInfo Current { get; set; } = null!;

        public int LastVersion { get; set; }

        public List<ExecutionEnvironment> Idle { get; } = [];
    }

    private sealed class ExecutionEnvironment(HostedFunction function, FunctionVersionInfo version)
    {
        public HostedFunction Function { get; } = function;

        public FunctionVersionInfo Version { get; } = version;

        public string Id { get; } = Guid.NewGuid().ToString("N");

        public FunctionHandler? Handler { get; set; }

        public DateTimeOffset LastUsed { get; set; }
    }

    private sealed class LambdaContext(
        string requestId, FunctionVersionInfo version, ExecutionEnvironment environment, DateTimeOffset deadline, TimeProvider time)
        : ILambdaContext
    {
        public string AwsRequestId => requestId;

        public string FunctionName => version.Name;

        public string FunctionVersion => version.Version;

        public string InvokedFunctionArn => version.FunctionArn;

        public int MemoryLimitInMB => version.Definition.MemoryMb;

        public TimeSpan RemainingTime => deadline - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

        public string LogGroupName => $"/aws/lambda/{version.Name}";

        public string LogStreamName => $"{deadline:yyyy/MM/dd}/[{version.Version}]{environment.Id}";
    }
}
