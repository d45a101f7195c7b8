namespace Threadline.Storage.Configuration;

/// <summary>
/// The alert configuration every backend keeps beside the telemetry: rules, channels, silences (snooze and mute) and
/// settings, each a JSON document under a kind and an id, versioned. <c>docs/storage-contract.md</c> states the rules
/// and <c>AlertConfigurationStoreConformanceTests</c> checks them. The store does not read the documents: their shape
/// belongs to the analysis module.
/// </summary>
/// <remarks>
/// Concurrency is optimistic: a put or delete that names the version it read fails with
/// <see cref="ConfigurationConflictException"/> when another writer changed the document since; one that names no
/// version is last-writer-wins.
/// </remarks>
public interface IAlertConfigurationStore : IAsyncDisposable
{
    /// <summary>Every document of the kind, ordered by id (ordinal).</summary>
    Task<IReadOnlyList<StoredDocument>> ListAsync(DocumentKind kind, CancellationToken cancellationToken);

    /// <summary>The document, or null when there is none.</summary>
    Task<StoredDocument?> GetAsync(DocumentKind kind, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the document and returns it with its new version (1 when created, one more on every change).
    /// <paramref name="expectedVersion"/>: null writes whatever is there (last writer wins); 0 creates and fails if the
    /// document exists; n replaces version n and fails if the stored version differs or the document is gone.
    /// </summary>
    /// <exception cref="ConfigurationConflictException">The expected version does not match.</exception>
    Task<StoredDocument> PutAsync(DocumentKind kind, string id, string json, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the document; false when there was none. With <paramref name="expectedVersion"/>, only that version.
    /// </summary>
    /// <exception cref="ConfigurationConflictException">The document exists at another version.</exception>
    Task<bool> DeleteAsync(DocumentKind kind, string id, long? expectedVersion, CancellationToken cancellationToken);
}

/// <summary>What a document configures.</summary>
public enum DocumentKind
{
    AlertRule,
    AlertChannel,
    /// <summary>A snooze or mute of a rule or an issue.</summary>
    AlertSilence,
    /// <summary>A one-off fact of the installation (e.g. that the default rules were created).</summary>
    Setting,
}

/// <summary>One stored document. <see cref="Json"/> is opaque to the store.</summary>
public sealed record StoredDocument(DocumentKind Kind, string Id, long Version, string Json, DateTimeOffset UpdatedAt);

/// <summary>A put or delete named a version that is no longer the stored one (someone else changed the document).</summary>
public sealed class ConfigurationConflictException : Exception
{
    public ConfigurationConflictException()
    {
    }

    public ConfigurationConflictException(string message) : base(message)
    {
    }

    public ConfigurationConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public static ConfigurationConflictException Of(DocumentKind kind, string id, long? expected, long? actual) =>
        new(actual is null
            ? $"The {kind} '{id}' does not exist (expected version {expected})."
            : expected == 0
                ? $"The {kind} '{id}' already exists (version {actual})."
                : $"The {kind} '{id}' is at version {actual}, not {expected}: it was changed by someone else; reload and retry.");
}
