using Threadline.Server.Derivation;

namespace Threadline.Analysis.Ingest;

/// <summary>The analysis' part of <c>derivation</c> in <c>/api/health</c>.</summary>
internal sealed class AnalysisDerivationProgress(AnalysisState state) : IDerivationProgress
{
    public string Part => "analysis";

    public DerivationPartResponse Current
    {
        get
        {
            var status = state.Derivation;
            return new DerivationPartResponse(Part, status.State, status.SpansDone, status.SpansTotal);
        }
    }
}
