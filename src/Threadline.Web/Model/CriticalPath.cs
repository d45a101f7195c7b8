using Threadline.Stitching;

namespace Threadline.Web.Model;

/// <summary>
/// The async-aware critical path of a transaction: the chain of invocations that decided when it ended. It starts at
/// the invocation that ended last and follows the hop that caused each one (sync or async, so the wait in a queue
/// counts) back to the entry; when an invocation was caused by several, the latest-starting cause is followed.
/// </summary>
public static class CriticalPath
{
    public static IReadOnlyList<InvocationId> Of(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Invocations.Count == 0)
            return [];
        var byId = transaction.Invocations.ToDictionary(i => i.Id);
        var causes = transaction.Hops.Where(h => byId.ContainsKey(h.From) && byId.ContainsKey(h.To))
            .GroupBy(h => h.To)
            .ToDictionary(g => g.Key, g => g.Select(h => byId[h.From]).OrderByDescending(i => i.StartTimeUnixNano).ThenBy(i => i.Id).First());
        var current = transaction.Invocations.OrderByDescending(i => i.EndTimeUnixNano).ThenBy(i => i.Id).First();
        var path = new List<InvocationId>();
        var seen = new HashSet<InvocationId>();
        while (seen.Add(current.Id))
        {
            path.Add(current.Id);
            if (!causes.TryGetValue(current.Id, out var cause))
                break;
            current = cause;
        }
        path.Reverse();
        return path;
    }
}
