namespace Threadline.Tracer;

/// <summary>
/// Settings of one traced function. Start from <see cref="FromEnvironment"/> (the <c>THREADLINE_</c> and Lambda
/// variables) and override what you need, e.g. the identity when several functions share one process.
/// </summary>
public sealed class ThreadlineOptions
{
    /// <summary>Kill switch: when false the wrapper only calls the handler (<c>THREADLINE_ENABLED</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>OTLP/HTTP base address; <c>/v1/traces</c> and <c>/v1/logs</c> are appended (<c>THREADLINE_ENDPOINT</c>).</summary>
    public Uri Endpoint { get; set; } = new("http://127.0.0.1:4318");

    /// <summary>Sent as <c>Authorization: Bearer</c> when set (<c>THREADLINE_TOKEN</c>).</summary>
    public string? Token { get; set; }

    /// <summary>Function name; null means the Lambda context, then <c>AWS_LAMBDA_FUNCTION_NAME</c>.</summary>
    public string? FunctionName { get; set; }

    /// <summary>Function version; null means the Lambda context, then <c>AWS_LAMBDA_FUNCTION_VERSION</c>.</summary>
    public string? FunctionVersion { get; set; }

    /// <summary>Configured memory in MB; null means the Lambda context, then <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>.</summary>
    public int? MemorySizeMb { get; set; }

    /// <summary>Region; null means <c>AWS_REGION</c>.</summary>
    public string? Region { get; set; }

    /// <summary>Longest the wrapper waits for the export before returning (<c>THREADLINE_FLUSH_BUDGET_MS</c>, default 300).</summary>
    public TimeSpan FlushBudget { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How long before the Lambda deadline the invocation is reported as timing out (<c>THREADLINE_DEADLINE_MARGIN_MS</c>).</summary>
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Largest recorded payload field in bytes (<c>THREADLINE_MAX_FIELD_BYTES</c>, default 16 KiB).</summary>
    public int MaxFieldBytes { get; set; } = 16 * 1024;

    /// <summary>Total payload bytes recorded per invocation (<c>THREADLINE_MAX_INVOCATION_BYTES</c>, default 256 KiB).</summary>
    public int MaxInvocationBytes { get; set; } = 256 * 1024;

    /// <summary>Both limits are multiplied by this when the invocation or call failed (<c>THREADLINE_ERROR_SIZE_FACTOR</c>).</summary>
    public int ErrorSizeFactor { get; set; } = 4;

    /// <summary>Record events, responses and call payloads (<c>THREADLINE_CAPTURE_PAYLOADS</c>).</summary>
    public bool CapturePayloads { get; set; } = true;

    /// <summary>Record AWS SDK calls (<c>THREADLINE_CAPTURE_AWS</c>).</summary>
    public bool CaptureAws { get; set; } = true;

    /// <summary>Record HttpClient calls (<c>THREADLINE_CAPTURE_HTTP</c>).</summary>
    public bool CaptureHttp { get; set; } = true;

    /// <summary>Export ILogger and Console output as OTLP logs (<c>THREADLINE_CAPTURE_LOGS</c>).</summary>
    public bool CaptureLogs { get; set; } = true;

    /// <summary>Record the scrubbed process environment on cold start (<c>THREADLINE_CAPTURE_ENV</c>).</summary>
    public bool CaptureEnvironment { get; set; } = true;

    /// <summary>Add a <c>traceparent</c> message attribute to SQS/SNS sends when it fits (<c>THREADLINE_INJECT_TRACEPARENT</c>).</summary>
    public bool InjectTraceContext { get; set; } = true;

    /// <summary>Use the built-in key patterns (password, secret, key, token, ...) (<c>THREADLINE_SCRUB_DEFAULTS</c>).</summary>
    public bool ScrubDefaults { get; set; } = true;

    /// <summary>Extra case-insensitive regexes for keys whose values are masked (<c>THREADLINE_SCRUB_KEYS</c>, ';'-separated).</summary>
    public IList<string> ScrubKeyPatterns { get; } = [];

    /// <summary>Exact JSON paths masked in events, responses and payloads, e.g. <c>$.body.user.email</c>, <c>$.Records[*].body</c>
    /// (<c>THREADLINE_SCRUB_PATHS</c>, ';'-separated).</summary>
    public IList<string> ScrubPaths { get; } = [];

    /// <summary>Options from the process environment.</summary>
    public static ThreadlineOptions FromEnvironment() => Configuration.EnvironmentOptions.Read(Configuration.EnvironmentOptions.Process);
}
