namespace Threadline.Analysis.Cost;

public sealed record FunctionCost(string Function, int Invocations, decimal CostUsd, decimal LastHourUsd, decimal BaselinePerHourUsd, bool Spike);

public sealed record EntryCost(string Entry, string? Kind, int Transactions, decimal CostUsd);

public sealed record TransactionCost(string TransactionId, decimal CostUsd, IReadOnlyList<InvocationCost> Invocations);

/// <summary>An invocation's own cost and the share of it this transaction carries (a batch consumer is shared).</summary>
public sealed record InvocationCost(string InvocationId, string Function, decimal CostUsd, decimal ShareUsd);

public sealed record CostReport(decimal TotalUsd, IReadOnlyList<FunctionCost> Functions, IReadOnlyList<EntryCost> Entries);
