using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

/// <summary>
/// What the owner told (resolutions, recorded deployments): not derived, so outside the derived write log. Each call
/// is one insert, visible once it returns; the latest write of an id wins by <c>written_at</c>, read with argMax (a
/// merge may not have folded the versions yet). These tables hold one row per issue or deployment, read whole.
/// </summary>
public sealed partial class ClickHouseAnalysisStore
{
    private static long s_lastWrittenAt;

    public async Task<IReadOnlyDictionary<string, long>> GetResolutionsAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync($"SELECT issue_id, argMax(resolved_at_unix_nano, written_at) FROM {AnalysisSchema.Resolutions} GROUP BY issue_id",
            row => (Issue: row.GetString(0), At: row.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Issue, r => r.At, StringComparer.Ordinal);
    }

    public async Task SetResolutionAsync(string issueId, long resolvedAtUnixNano, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issueId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _client.InsertAsync(AnalysisSchema.Resolutions, ["issue_id", "resolved_at_unix_nano", "written_at"],
            writer => writer.String(issueId).Int64(resolvedAtUnixNano).UInt64(NextWrittenAt()).EndRow(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RecordedDeployment>> ListRecordedDeploymentsAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT function, code_version, argMax(time_unix_nano, written_at) AS time FROM {AnalysisSchema.RecordedDeployments} "
            + "GROUP BY function, code_version ORDER BY time, function, code_version",
            row => new RecordedDeployment(row.GetString(0), row.GetString(1), row.GetInt64(2)), cancellationToken).ConfigureAwait(false);

    public async Task RecordDeploymentAsync(RecordedDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _client.InsertAsync(AnalysisSchema.RecordedDeployments, ["function", "code_version", "time_unix_nano", "written_at"],
            writer => writer.String(deployment.Function).String(deployment.Version).Int64(deployment.TimeUnixNano).UInt64(NextWrittenAt()).EndRow(),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The clock in 100 ns ticks, strictly increasing within the process (two writes in one tick stay ordered).</summary>
    private static ulong NextWrittenAt()
    {
        while (true)
        {
            var last = Interlocked.Read(ref s_lastWrittenAt);
            var next = Math.Max(last + 1, DateTime.UtcNow.Ticks);
            if (Interlocked.CompareExchange(ref s_lastWrittenAt, next, last) == last)
                return (ulong)next;
        }
    }
}
