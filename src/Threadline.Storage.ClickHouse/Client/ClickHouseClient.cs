using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// A small client for ClickHouse's HTTP interface, written here because no library fits: ClickHouse.Client is not on
/// the NuGet mirror this project builds from, and the official ClickHouse.Driver cannot talk to ClickHouse 18.16 (the
/// only server Debian packages, which CI tests against). It does what the store needs and no more: statements,
/// reads in TabSeparatedWithNamesAndTypes (<see cref="TabSeparatedReader"/>), inserts in RowBinary
/// (<see cref="RowBinaryWriter"/>), gzip both ways, ClickHouse's errors as <see cref="ClickHouseServerException"/> and
/// an unreachable server as <see cref="ClickHouseUnavailableException"/>. Values go into SQL through
/// <see cref="ClickHouseSql"/> (18.16 has no server-side parameters). Thread-safe; one instance per server.
/// </summary>
public sealed class ClickHouseClient : IDisposable
{
    private const string ReadFormat = "TabSeparatedWithNamesAndTypes";

    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _authorization;

    public ClickHouseClient(ClickHouseConnectionOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ClickHouseSql.IsPlainIdentifier(options.Database))
            throw new ArgumentException($"'{options.Database}' is not a valid ClickHouse database name (use letters, digits and '_')", nameof(options));
        Options = options;
        handler ??= new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.Timeout < TimeSpan.FromSeconds(10) ? options.Timeout : TimeSpan.FromSeconds(10),
            // ClickHouse closes an idle keep-alive connection after 3 s (keep_alive_timeout); reuse one only before that.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2),
        };
        _http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = Timeout.InfiniteTimeSpan };
        _authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{options.User}:{options.Password}")));
    }

    public ClickHouseConnectionOptions Options { get; }

    /// <summary>The server's version, from <c>SELECT version()</c>.</summary>
    public async Task<ClickHouseVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        // In the default database, which always exists (the store asks before it creates its own).
        var text = await ScalarAsync("SELECT version()", cancellationToken, database: "default").ConfigureAwait(false);
        return ClickHouseVersion.Parse(text);
    }

    /// <summary>Runs a statement that returns nothing (DDL, ALTER, INSERT … SELECT).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken, string? database = null)
    {
        using var timeout = Deadline(cancellationToken);
        using var response = await SendAsync(Url(database, query: null, waitEndOfQuery: false), Body(sql), sql, timeout.Token, cancellationToken).ConfigureAwait(false);
        await ReadAllAsync(response, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>The first column of the first row as text (null when there is no row).</summary>
    public async Task<string?> ScalarAsync(string sql, CancellationToken cancellationToken, string? database = null)
    {
        var rows = await QueryAsync(sql, row => row.IsNull(0) ? null : row.GetString(0), cancellationToken, database).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Runs a SELECT (without FORMAT) and maps each row. The server finishes the query before it answers
    /// (<c>wait_end_of_query=1</c>), so an error is always an error status, never half a result.
    /// </summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<TabSeparatedReader, T> map, CancellationToken cancellationToken, string? database = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var timeout = Deadline(cancellationToken);
        var query = $"{sql}\nFORMAT {ReadFormat}";
        using var response = await SendAsync(Url(database, null, waitEndOfQuery: true), Body(query), sql, timeout.Token, cancellationToken).ConfigureAwait(false);
        var results = new List<T>();
        await using var stream = await ResponseStreamAsync(response, timeout.Token).ConfigureAwait(false);
        var reader = new TabSeparatedReader(stream, sql);
        await Guard(async () =>
        {
            await reader.ReadHeaderAsync(timeout.Token).ConfigureAwait(false);
            while (await reader.ReadAsync(timeout.Token).ConfigureAwait(false))
                results.Add(map(reader));
            return 0;
        }, timeout.Token, cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Runs a SELECT (without FORMAT) and yields rows as they arrive, for answers too large to hold. The timeout
    /// covers the wait for the answer to start; an error the server meets later arrives as text in the body and is
    /// thrown as <see cref="ClickHouseServerException"/> when the reader reaches it.
    /// </summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(string sql, Func<TabSeparatedReader, T> map, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);
        var query = $"{sql}\nFORMAT {ReadFormat}";
        HttpResponseMessage response;
        using (var timeout = Deadline(cancellationToken))
            response = await SendAsync(Url(null, null, waitEndOfQuery: false), Body(query), sql, timeout.Token, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            await using var stream = await ResponseStreamAsync(response, cancellationToken).ConfigureAwait(false);
            var reader = new TabSeparatedReader(stream, sql);
            await Guard(async () => { await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false); return 0; }, cancellationToken, cancellationToken).ConfigureAwait(false);
            while (await Guard(() => reader.ReadAsync(cancellationToken).AsTask(), cancellationToken, cancellationToken).ConfigureAwait(false))
                yield return map(reader);
        }
    }

    /// <summary>
    /// Inserts rows in RowBinary: <paramref name="columns"/> names the columns in the order <paramref name="writeRows"/>
    /// writes them. One request, so the server stores it as one part (atomically, up to max_insert_block_size rows).
    /// Does nothing when no row was written. <paramref name="settings"/> are ClickHouse settings for this request
    /// (names and values of letters, digits and '_').
    /// </summary>
    public async Task InsertAsync(string table, IReadOnlyList<string> columns, Action<RowBinaryWriter> writeRows, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(writeRows);
        var writer = new RowBinaryWriter();
        writeRows(writer);
        if (writer.RowCount == 0)
            return;
        var sql = $"INSERT INTO {ClickHouseSql.Identifier(table)} ({string.Join(", ", columns.Select(ClickHouseSql.Identifier))}) FORMAT RowBinary";
        using var timeout = Deadline(cancellationToken);
        var url = Url(null, sql, waitEndOfQuery: false);
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            if (!ClickHouseSql.IsPlainIdentifier(name) || !value.All(char.IsAsciiLetterOrDigit))
                throw new ArgumentException($"'{name}={value}' is not a setting this client sends", nameof(settings));
            url += $"&{name}={value}";
        }
        using var response = await SendAsync(url, Body(writer.Written), sql, timeout.Token, cancellationToken).ConfigureAwait(false);
        await ReadAllAsync(response, timeout.Token).ConfigureAwait(false);
    }

    private string Url(string? database, string? query, bool waitEndOfQuery)
    {
        var url = new StringBuilder("?database=").Append(Uri.EscapeDataString(database ?? Options.Database));
        if (Options.Compression)
            url.Append("&enable_http_compression=1");
        if (waitEndOfQuery)
            url.Append("&wait_end_of_query=1");
        if (query is not null)
            url.Append("&query=").Append(Uri.EscapeDataString(query));
        return url.ToString();
    }

    private HttpContent Body(string text) => Body(System.Text.Encoding.UTF8.GetBytes(text));

    private HttpContent Body(ReadOnlyMemory<byte> bytes)
    {
        if (!Options.Compression)
            return new ReadOnlyMemoryContent(bytes);
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes.Span);
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    private async Task<HttpResponseMessage> SendAsync(string url, HttpContent content, string sql, CancellationToken timeoutToken, CancellationToken callerToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = _authorization;
        if (Options.Compression)
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var response = await Guard(() => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutToken), timeoutToken, callerToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            var text = await Guard(async () =>
            {
                await using var stream = await ResponseStreamAsync(response, timeoutToken).ConfigureAwait(false);
                using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
                return await reader.ReadToEndAsync(timeoutToken).ConfigureAwait(false);
            }, timeoutToken, callerToken).ConfigureAwait(false);
            if (ClickHouseErrorText.TryParse(text, out var code, out var message))
                throw new ClickHouseServerException(code, message, sql);
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
                throw new ClickHouseUnavailableException($"ClickHouse at {Options.Url} answered {(int)response.StatusCode}: {text.Trim()}");
            throw new ClickHouseServerException(0, $"HTTP {(int)response.StatusCode}: {text.Trim()}", sql);
        }
    }

    private static async Task<Stream> ResponseStreamAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var encoding = response.Content.Headers.ContentEncoding.LastOrDefault();
        return encoding switch
        {
            null => stream,
            "gzip" => new GZipStream(stream, CompressionMode.Decompress),
            // ClickHouse's "deflate" is the zlib format.
            "deflate" => new ZLibStream(stream, CompressionMode.Decompress),
            _ => throw new ClickHouseServerException(0, $"the answer is compressed with {encoding}, which this client does not read", ""),
        };
    }

    private async Task ReadAllAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await Guard(async () =>
        {
            await using var stream = await ResponseStreamAsync(response, cancellationToken).ConfigureAwait(false);
            await stream.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken, cancellationToken).ConfigureAwait(false);
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(Options.Timeout);
        return source;
    }

    /// <summary>Turns transport failures into <see cref="ClickHouseUnavailableException"/>; the caller's cancellation stays a cancellation.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> action, CancellationToken timeoutToken, CancellationToken callerToken)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested && timeoutToken.IsCancellationRequested)
        {
            throw new ClickHouseUnavailableException($"ClickHouse at {Options.Url} did not answer within {Options.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (!callerToken.IsCancellationRequested)
        {
            throw new ClickHouseUnavailableException($"ClickHouse at {Options.Url} cannot be reached: {Describe(e)}", e);
        }
        catch (IOException e) when (!callerToken.IsCancellationRequested)
        {
            throw new ClickHouseUnavailableException($"the connection to ClickHouse at {Options.Url} broke: {e.Message}", e);
        }
    }

    private static string Describe(HttpRequestException e) =>
        e.InnerException is SocketException socket ? $"{socket.SocketErrorCode} ({socket.Message})" : e.Message;

    public void Dispose() => _http.Dispose();
}
