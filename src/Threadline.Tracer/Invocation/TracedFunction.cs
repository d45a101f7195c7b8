using Threadline.Tracer.Configuration;
using Threadline.Tracer.Export;
using Threadline.Tracer.Scrubbing;

namespace Threadline.Tracer.Invocation;

/// <summary>
/// The state of one traced function in this process: options, scrubber, cold-start flag and (built on first
/// use, when the Lambda context can complete the identity) its export pipeline.
/// </summary>
internal sealed class TracedFunction(ThreadlineOptions options, ExportTargets targets, Func<string, string?> env) : IDisposable
{
    private readonly Lock _gate = new();
    private ExportPipeline? _pipeline;
    private int _invocations;

    public ThreadlineOptions Options => options;

    public Scrubber Scrubber { get; } = new(new ScrubRules(options.ScrubDefaults, options.ScrubKeyPatterns, options.ScrubPaths));

    public FunctionIdentity? Identity { get; private set; }

    public ExportPipeline Pipeline(LambdaContextInfo context)
    {
        if (_pipeline is { } ready)
            return ready;
        lock (_gate)
        {
            if (_pipeline is null)
            {
                Identity = FunctionIdentity.Resolve(options, context, env);
                _pipeline = ExportPipeline.Create(options, Identity, targets);
            }
            return _pipeline;
        }
    }

    /// <summary>True exactly once: for the first invocation of this function in this process.</summary>
    public bool TakeColdStart() => Interlocked.Increment(ref _invocations) == 1;

    public PayloadBudget NewBudget() => new(options.MaxFieldBytes, options.MaxInvocationBytes, options.ErrorSizeFactor);

    public string ScrubbedEnvironment() => Scrubber.ScrubEnvironment(EnvironmentOptions.Snapshot());

    public void Dispose() => _pipeline?.Dispose();
}
