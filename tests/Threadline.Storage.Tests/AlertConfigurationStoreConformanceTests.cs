using Threadline.Storage.Configuration;

namespace Threadline.Storage.Tests;

/// <summary>
/// The alert configuration contract as tests: every backend derives from this class and supplies
/// <see cref="OpenStoreAsync"/>; docs/storage-contract.md states the same rules in prose.
/// </summary>
public abstract class AlertConfigurationStoreConformanceTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));

    protected IAlertConfigurationStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the backend on the given folder (reopening must find what was written before).</summary>
    protected abstract Task<IAlertConfigurationStore> OpenStoreAsync(string dataDirectory);

    public async ValueTask InitializeAsync() => Store = await OpenStoreAsync(_dataDirectory);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_document_is_created_at_version_1_and_read_back_exactly()
    {
        const string Json = """{"name":"Ünïcode \"quoted\"\nline","n":1}""";

        var created = await Store.PutAsync(DocumentKind.AlertRule, "r-1", Json, expectedVersion: 0, Ct);
        var read = await Store.GetAsync(DocumentKind.AlertRule, "r-1", Ct);

        Assert.Equal(1, created.Version);
        Assert.NotNull(read);
        Assert.Equal((DocumentKind.AlertRule, "r-1", 1L, Json), (read.Kind, read.Id, read.Version, read.Json));
        Assert.Equal(created.UpdatedAt, read.UpdatedAt);
        Assert.Null(await Store.GetAsync(DocumentKind.AlertRule, "r-2", Ct));
        Assert.Null(await Store.GetAsync(DocumentKind.AlertChannel, "r-1", Ct)); // kinds are separate
    }

    [Fact]
    public async Task A_list_holds_the_documents_of_one_kind_in_id_order()
    {
        await Store.PutAsync(DocumentKind.AlertChannel, "b", "{}", null, Ct);
        await Store.PutAsync(DocumentKind.AlertChannel, "a", "{}", null, Ct);
        await Store.PutAsync(DocumentKind.AlertChannel, "B", "{}", null, Ct);
        await Store.PutAsync(DocumentKind.AlertRule, "c", "{}", null, Ct);

        Assert.Equal(["B", "a", "b"], (await Store.ListAsync(DocumentKind.AlertChannel, Ct)).Select(d => d.Id));
        Assert.Equal(["c"], (await Store.ListAsync(DocumentKind.AlertRule, Ct)).Select(d => d.Id));
        Assert.Empty(await Store.ListAsync(DocumentKind.AlertSilence, Ct));
    }

    [Fact]
    public async Task A_change_naming_the_version_it_read_succeeds_once_and_a_stale_one_conflicts()
    {
        await Store.PutAsync(DocumentKind.AlertRule, "r", """{"v":1}""", 0, Ct);

        var second = await Store.PutAsync(DocumentKind.AlertRule, "r", """{"v":2}""", 1, Ct);
        var stale = await Assert.ThrowsAsync<ConfigurationConflictException>(() => Store.PutAsync(DocumentKind.AlertRule, "r", """{"v":"lost"}""", 1, Ct));
        var again = await Assert.ThrowsAsync<ConfigurationConflictException>(() => Store.PutAsync(DocumentKind.AlertRule, "r", "{}", 0, Ct));
        var gone = await Assert.ThrowsAsync<ConfigurationConflictException>(() => Store.PutAsync(DocumentKind.AlertRule, "missing", "{}", 3, Ct));

        Assert.Equal(2, second.Version);
        Assert.Contains("version 2", stale.Message, StringComparison.Ordinal);
        Assert.Contains("already exists", again.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", gone.Message, StringComparison.Ordinal);
        var stored = await Store.GetAsync(DocumentKind.AlertRule, "r", Ct);
        Assert.Equal((2L, """{"v":2}"""), (stored!.Version, stored.Json));
    }

    [Fact]
    public async Task A_change_naming_no_version_is_last_writer_wins()
    {
        await Store.PutAsync(DocumentKind.Setting, "s", "1", null, Ct);
        await Store.PutAsync(DocumentKind.Setting, "s", "2", null, Ct);
        var last = await Store.PutAsync(DocumentKind.Setting, "s", "3", null, Ct);

        Assert.Equal(3, last.Version);
        Assert.Equal("3", (await Store.GetAsync(DocumentKind.Setting, "s", Ct))!.Json);
    }

    [Fact]
    public async Task Concurrent_changes_from_the_same_version_let_exactly_one_win()
    {
        await Store.PutAsync(DocumentKind.AlertChannel, "c", "0", 0, Ct);

        var attempts = await Task.WhenAll(Enumerable.Range(1, 8).Select(async i =>
        {
            try
            {
                await Store.PutAsync(DocumentKind.AlertChannel, "c", i.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, Ct);
                return true;
            }
            catch (ConfigurationConflictException)
            {
                return false;
            }
        }));

        Assert.Single(attempts, won => won);
        Assert.Equal(2, (await Store.GetAsync(DocumentKind.AlertChannel, "c", Ct))!.Version);
    }

    [Fact]
    public async Task A_delete_removes_the_document_and_refuses_a_stale_version()
    {
        await Store.PutAsync(DocumentKind.AlertSilence, "issue:7", "{}", 0, Ct);
        await Store.PutAsync(DocumentKind.AlertSilence, "issue:7", "{}", 1, Ct);

        await Assert.ThrowsAsync<ConfigurationConflictException>(() => Store.DeleteAsync(DocumentKind.AlertSilence, "issue:7", 1, Ct));
        Assert.True(await Store.DeleteAsync(DocumentKind.AlertSilence, "issue:7", 2, Ct));
        Assert.False(await Store.DeleteAsync(DocumentKind.AlertSilence, "issue:7", null, Ct));
        Assert.Null(await Store.GetAsync(DocumentKind.AlertSilence, "issue:7", Ct));

        var recreated = await Store.PutAsync(DocumentKind.AlertSilence, "issue:7", "{}", 0, Ct);
        Assert.Equal(1, recreated.Version);
    }

    [Fact]
    public async Task Documents_survive_reopening_the_store()
    {
        await Store.PutAsync(DocumentKind.AlertRule, "kept", """{"name":"kept"}""", 0, Ct);
        await Store.PutAsync(DocumentKind.AlertRule, "kept", """{"name":"kept, edited"}""", 1, Ct);
        await Store.PutAsync(DocumentKind.AlertRule, "deleted", "{}", 0, Ct);
        await Store.DeleteAsync(DocumentKind.AlertRule, "deleted", null, Ct);
        await Store.DisposeAsync();

        Store = await OpenStoreAsync(_dataDirectory);

        var kept = Assert.Single(await Store.ListAsync(DocumentKind.AlertRule, Ct));
        Assert.Equal(("kept", 2L, """{"name":"kept, edited"}"""), (kept.Id, kept.Version, kept.Json));
    }
}
