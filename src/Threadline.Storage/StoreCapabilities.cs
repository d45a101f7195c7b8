namespace Threadline.Storage;

/// <summary>What a backend can do beyond the contract; the default value means "least capable".</summary>
public sealed record StoreCapabilities
{
    /// <summary>The backend lives in this process and its files are in the data folder.</summary>
    public bool Embedded { get; init; }

    /// <summary>Readers see a write as soon as <see cref="ITelemetryStore.WriteAsync"/> completes.</summary>
    public bool ReadYourWrites { get; init; }
}
