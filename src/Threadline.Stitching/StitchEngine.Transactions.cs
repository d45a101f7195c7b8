namespace Threadline.Stitching;

public sealed partial class StitchEngine
{
    /// <summary>
    /// A transaction is the downstream closure of an entry (an invocation with no incoming hop). Membership is a set
    /// per invocation: a batch consumer reached from K entries is in K transactions, which stay apart. Only the
    /// transactions that held or now reach a touched invocation are recomputed.
    /// </summary>
    private void UpdateTransactions(Batch batch)
    {
        var affected = new HashSet<InvocationId>();
        foreach (var touched in batch.Touched)
        {
            affected.UnionWith(_state.TransactionsOf(touched));
            if (_state.GetInvocation(touched) is not null)
                affected.UnionWith(UpstreamEntries(touched));
        }
        foreach (var entry in affected.Order())
        {
            if (_state.GetInvocation(entry) is not null && _state.Incoming(entry).Count == 0)
            {
                var members = Closure(entry);
                _state.SetMembers(entry, members);
                PutSummary(entry, members);
                batch.ChangedTransactions.Add(entry.ToString());
            }
            else if (_state.Members(entry) is not null)
            {
                _state.RemoveTransaction(entry);
                DropSummary(entry);
                batch.RemovedTransactions.Add(entry.ToString());
            }
        }
    }

    private HashSet<InvocationId> Closure(InvocationId entry)
    {
        var members = new HashSet<InvocationId> { entry };
        var pending = new Queue<InvocationId>([entry]);
        while (pending.TryDequeue(out var current))
        {
            foreach (var hop in _state.Outgoing(current))
            {
                if (members.Add(hop.To))
                    pending.Enqueue(hop.To);
            }
        }
        return members;
    }

    /// <summary>The entries <paramref name="invocation"/> is reachable from (itself when it is one). Loops end.</summary>
    private List<InvocationId> UpstreamEntries(InvocationId invocation)
    {
        var entries = new List<InvocationId>();
        var seen = new HashSet<InvocationId> { invocation };
        var pending = new Queue<InvocationId>([invocation]);
        while (pending.TryDequeue(out var current))
        {
            var incoming = _state.Incoming(current);
            if (incoming.Count == 0)
                entries.Add(current);
            foreach (var hop in incoming)
            {
                if (seen.Add(hop.From))
                    pending.Enqueue(hop.From);
            }
        }
        return entries;
    }
}
