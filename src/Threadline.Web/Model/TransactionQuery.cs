namespace Threadline.Web.Model;

/// <summary>The filters and page of the transaction list, as in the home page's query string.</summary>
public sealed record TransactionQuery
{
    public const int DefaultPageSize = 50;

    /// <summary>Only transactions that started at or after this time (Unix nanoseconds); null: any time.</summary>
    public long? FromUnixNano { get; init; }
    /// <summary>The entry's kind, function or resource, exactly.</summary>
    public string? Entry { get; init; }
    /// <summary>"ok", "error" or null (any).</summary>
    public string? Status { get; init; }
    /// <summary>Only transactions with an invocation of this function.</summary>
    public string? Function { get; init; }
    /// <summary>Only transactions whose graph has this edge (<c>from|to</c> node ids, as the system map links it).</summary>
    public string? Edge { get; init; }
    /// <summary>Only transactions whose graph has this node id (<c>function:notify</c>, <c>sqs:payments-queue</c>).</summary>
    public string? Node { get; init; }
    /// <summary>Matched, ignoring case, against the id, entry and status of each row.</summary>
    public string? Text { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;
}
