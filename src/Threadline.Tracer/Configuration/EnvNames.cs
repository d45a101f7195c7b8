namespace Threadline.Tracer.Configuration;

/// <summary>The environment variables the tracer reads.</summary>
internal static class EnvNames
{
    public const string Prefix = "THREADLINE_";
    public const string Enabled = "THREADLINE_ENABLED";
    public const string Endpoint = "THREADLINE_ENDPOINT";
    public const string Token = "THREADLINE_TOKEN";
    public const string FunctionName = "THREADLINE_FUNCTION_NAME";
    public const string FlushBudgetMs = "THREADLINE_FLUSH_BUDGET_MS";
    public const string DeadlineMarginMs = "THREADLINE_DEADLINE_MARGIN_MS";
    public const string MaxFieldBytes = "THREADLINE_MAX_FIELD_BYTES";
    public const string MaxInvocationBytes = "THREADLINE_MAX_INVOCATION_BYTES";
    public const string ErrorSizeFactor = "THREADLINE_ERROR_SIZE_FACTOR";
    public const string CapturePayloads = "THREADLINE_CAPTURE_PAYLOADS";
    public const string CaptureAws = "THREADLINE_CAPTURE_AWS";
    public const string CaptureHttp = "THREADLINE_CAPTURE_HTTP";
    public const string CaptureLogs = "THREADLINE_CAPTURE_LOGS";
    public const string CaptureEnvironment = "THREADLINE_CAPTURE_ENV";
    public const string InjectTraceparent = "THREADLINE_INJECT_TRACEPARENT";
    public const string ScrubDefaults = "THREADLINE_SCRUB_DEFAULTS";
    public const string ScrubKeys = "THREADLINE_SCRUB_KEYS";
    public const string ScrubPaths = "THREADLINE_SCRUB_PATHS";

    public const string LambdaFunctionName = "AWS_LAMBDA_FUNCTION_NAME";
    public const string LambdaFunctionVersion = "AWS_LAMBDA_FUNCTION_VERSION";
    public const string LambdaMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    public const string LambdaLogGroup = "AWS_LAMBDA_LOG_GROUP_NAME";
    public const string LambdaLogStream = "AWS_LAMBDA_LOG_STREAM_NAME";
    public const string Region = "AWS_REGION";
    public const string XRayTraceId = "_X_AMZN_TRACE_ID";
}
