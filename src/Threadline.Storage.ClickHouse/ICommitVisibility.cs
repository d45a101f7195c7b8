namespace Threadline.Storage.ClickHouse;

/// <summary>Which commit sequences readers see: <see cref="CommitLog"/> for one writer, <see cref="SharedCommitLog"/> for several.</summary>
internal interface ICommitVisibility
{
    /// <summary>The latest completed commit readers see (the contract's LastCommitSequence).</summary>
    long Last { get; }

    /// <summary>A condition on <c>commit_seq</c> that keeps the rows of completed writes up to <paramref name="last"/>.</summary>
    string VisibleFilter(out long last);

    string VisibleFilter() => VisibleFilter(out _);
}
