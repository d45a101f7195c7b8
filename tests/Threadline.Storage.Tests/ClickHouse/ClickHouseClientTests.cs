using System.Net;
using System.Net.Sockets;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Testing;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>The HTTP client against a real ClickHouse server (Debian's 18.16 in CI).</summary>
public sealed class ClickHouseClientTests(ClickHouseServerFixture fixture) : IAsyncLifetime
{
    private readonly string _database = ClickHouseServerFixture.NewDatabaseName("client");
    private ClickHouseClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every ASCII byte (tab, newline, backslash, quote, NUL among them), and more than ASCII.</summary>
    public static readonly string AwkwardText =
        new string(Enumerable.Range(0, 128).Select(i => (char)i).ToArray()) + "\\N \\t \\\\ '' \"x\" é 漢字 🚀 \u2028 \uFEFF end\\";

    public async ValueTask InitializeAsync() => _client = await fixture.CreateDatabaseAsync(_database);

    public async ValueTask DisposeAsync()
    {
        await _client.ExecuteAsync($"DROP DATABASE IF EXISTS {ClickHouseSql.Identifier(_database)}", Ct, database: "default");
        _client.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rows_of_every_column_type_come_back_as_inserted(bool compression)
    {
        using var client = new ClickHouseClient(await fixture.OptionsAsync(_database, compression));
        await client.ExecuteAsync(
            """
            CREATE TABLE typed (id UInt64, hi UInt64, lo UInt64, time Int64, ratio Float64, text String, maybe Nullable(String),
                                tags Array(String), numbers Array(Int64), small UInt8, medium UInt32)
            ENGINE = MergeTree ORDER BY id
            """, Ct);
        var rows = new[]
        {
            (Id: 1UL, Hi: ulong.MaxValue, Lo: 0UL, Time: long.MinValue, Ratio: 0.5, Text: AwkwardText, Maybe: (string?)null, Tags: new[] { "a", "b'c", "d\te\nf\\g", "" }, Numbers: new[] { long.MinValue, -1L, 0L, long.MaxValue }, Small: (byte)255, Medium: uint.MaxValue),
            (Id: 2UL, Hi: 0x0123456789ABCDEFUL, Lo: 0xFEDCBA9876543210UL, Time: 1_790_000_000_123_456_789L, Ratio: double.NaN, Text: "", Maybe: (string?)"", Tags: Array.Empty<string>(), Numbers: Array.Empty<long>(), Small: (byte)0, Medium: 0u),
            (Id: 3UL, Hi: 1UL, Lo: 2UL, Time: long.MaxValue, Ratio: double.NegativeInfinity, Text: new string('x', 100_000), Maybe: (string?)AwkwardText, Tags: new[] { AwkwardText }, Numbers: new[] { 42L }, Small: (byte)7, Medium: 7u),
        };

        await client.InsertAsync("typed", ["id", "hi", "lo", "time", "ratio", "text", "maybe", "tags", "numbers", "small", "medium"], writer =>
        {
            foreach (var row in rows)
            {
                writer.UInt64(row.Id).UInt64(row.Hi).UInt64(row.Lo).Int64(row.Time).Float64(row.Ratio).String(row.Text).NullableString(row.Maybe);
                writer.ArrayLength(row.Tags.Length);
                foreach (var tag in row.Tags)
                    writer.String(tag);
                writer.ArrayLength(row.Numbers.Length);
                foreach (var number in row.Numbers)
                    writer.Int64(number);
                writer.UInt8(row.Small).UInt32(row.Medium).EndRow();
            }
        }, Ct);

        var read = await client.QueryAsync("SELECT id, hi, lo, time, ratio, text, maybe, tags, numbers, small, medium FROM typed ORDER BY id", row =>
            (Id: row.GetUInt64(0), Hi: row.GetUInt64(1), Lo: row.GetUInt64(2), Time: row.GetInt64(3), Ratio: row.GetDouble(4), Text: row.GetString(5),
             Maybe: row.GetNullableString(6), Tags: row.GetStringArray(7).ToArray(), Numbers: row.GetInt64Array(8).ToArray(), Small: row.GetByte(9), Medium: row.GetUInt32(10)), Ct);

        Assert.Equal(rows.Length, read.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal((rows[i].Id, rows[i].Hi, rows[i].Lo, rows[i].Time), (read[i].Id, read[i].Hi, read[i].Lo, read[i].Time));
            Assert.Equal(rows[i].Ratio, read[i].Ratio);
            Assert.Equal(rows[i].Text, read[i].Text);
            Assert.Equal(rows[i].Maybe, read[i].Maybe);
            Assert.Equal(rows[i].Tags, read[i].Tags);
            Assert.Equal(rows[i].Numbers, read[i].Numbers);
            Assert.Equal((rows[i].Small, rows[i].Medium), (read[i].Small, read[i].Medium));
        }
        Assert.Equal("NULL", await client.ScalarAsync("SELECT if(isNull(maybe), 'NULL', 'value') FROM typed WHERE id = 1", Ct));
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_stored_as_they_are_and_read_as_replacement_characters()
    {
        await _client.ExecuteAsync("CREATE TABLE raw (id UInt8, value String) ENGINE = MergeTree ORDER BY id", Ct);
        byte[] invalid = [0xFF, 0xFE, (byte)'a', 0xC3, (byte)'\t', 0x80];
        await _client.InsertAsync("raw", ["id", "value"], writer =>
        {
            writer.UInt8(1).Bytes(invalid).EndRow();
            // A lone surrogate cannot be encoded as UTF-8; it is stored as U+FFFD.
            writer.UInt8(2).String("a\uD800b").EndRow();
        }, Ct);

        var read = await _client.QueryAsync("SELECT value, length(value) FROM raw ORDER BY id", row => (Bytes: row.GetBytes(0), Text: row.GetString(0), Length: row.GetUInt64(1)), Ct);

        Assert.Equal(invalid, read[0].Bytes);
        Assert.Equal(6UL, read[0].Length);
        Assert.Equal("\uFFFD\uFFFDa\uFFFD\t\uFFFD", read[0].Text);
        Assert.Equal("a\uFFFDb", read[1].Text);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("back\\slash at the end\\")]
    [InlineData("'; DROP DATABASE default; --")]
    [InlineData("\\'")]
    [InlineData("tab\tnew\nline\rcarriage\0nul\u0001\u007f")]
    [InlineData("")]
    public async Task A_string_written_as_a_literal_reaches_the_server_unchanged(string value)
    {
        Assert.Equal(value, await _client.ScalarAsync($"SELECT {ClickHouseSql.Literal(value)}", Ct));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(value).ToString(System.Globalization.CultureInfo.InvariantCulture),
            await _client.ScalarAsync($"SELECT length({ClickHouseSql.Literal(value)})", Ct));
    }

    [Fact]
    public async Task Every_ascii_character_and_more_survives_a_literal()
    {
        Assert.Equal(AwkwardText, await _client.ScalarAsync($"SELECT {ClickHouseSql.Literal(AwkwardText)}", Ct));
        Assert.Equal(["a'b", "c\\"], (await _client.QueryAsync($"SELECT [{ClickHouseSql.Literal("a'b")}, {ClickHouseSql.Literal("c\\")}]", row => row.GetStringArray(0), Ct))[0]);
    }

    [Fact]
    public void A_name_that_is_not_a_plain_identifier_is_refused()
    {
        Assert.Equal("`spans_1`", ClickHouseSql.Identifier("spans_1"));
        Assert.Throws<ArgumentException>(() => ClickHouseSql.Identifier("a`; DROP"));
        Assert.Throws<ArgumentException>(() => ClickHouseSql.Identifier("1abc"));
        Assert.Throws<ArgumentException>(() => new ClickHouseClient(new ClickHouseConnectionOptions { Url = new Uri("http://127.0.0.1:1/"), Database = "x y" }));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Requests_and_answers_are_gzip_compressed_only_when_asked(bool compression)
    {
        var recorder = new RecordingHandler();
        using var client = new ClickHouseClient(await fixture.OptionsAsync(_database, compression), recorder);
        await client.ExecuteAsync("CREATE TABLE numbers_copy (n UInt64) ENGINE = MergeTree ORDER BY n", Ct);
        await client.InsertAsync("numbers_copy", ["n"], writer =>
        {
            for (var i = 0UL; i < 10_000; i++)
                writer.UInt64(i).EndRow();
        }, Ct);
        recorder.Clear();

        var sum = await client.QueryAsync("SELECT n FROM numbers_copy", row => row.GetUInt64(0), Ct);

        Assert.Equal(Enumerable.Range(0, 10_000).Sum(i => (long)i), sum.Sum(n => (long)n));
        var (requestEncoding, responseEncoding) = Assert.Single(recorder.Exchanges);
        Assert.Equal(compression ? "gzip" : "", requestEncoding);
        Assert.Equal(compression ? "gzip" : "", responseEncoding);
    }

    [Fact]
    public async Task The_server_version_is_read()
    {
        var version = await _client.GetVersionAsync(Ct);

        Assert.True(version.Major >= 18, version.Text);
        Assert.Equal(version.Major >= 21 || (version.Major == 20 && version.Minor >= 3), version.HasModernSchemaFeatures);
        Assert.False(ClickHouseVersion.Parse("18.16.1").HasModernSchemaFeatures);
        Assert.True(ClickHouseVersion.Parse("24.8.4.13").HasModernSchemaFeatures);
        Assert.Throws<FormatException>(() => ClickHouseVersion.Parse("banana"));
    }

    [Fact]
    public async Task A_query_error_carries_the_servers_code_and_message()
    {
        var unknownColumn = await Assert.ThrowsAsync<ClickHouseServerException>(() => _client.ScalarAsync("SELECT no_such_column", Ct));
        Assert.Equal(47, unknownColumn.Code);
        Assert.Contains("no_such_column", unknownColumn.ServerMessage);
        Assert.Contains("SELECT no_such_column", unknownColumn.Message);

        var unknownTable = await Assert.ThrowsAsync<ClickHouseServerException>(() => _client.ExecuteAsync("INSERT INTO no_such_table SELECT 1", Ct));
        Assert.Equal(60, unknownTable.Code);

        var syntax = await Assert.ThrowsAsync<ClickHouseServerException>(() => _client.ScalarAsync("SELEC 1", Ct));
        Assert.Equal(62, syntax.Code);

        var insert = await Assert.ThrowsAsync<ClickHouseServerException>(() =>
            _client.InsertAsync("no_such_table", ["x"], writer => writer.UInt8(1).EndRow(), Ct));
        Assert.Equal(60, insert.Code);
    }

    [Fact]
    public async Task An_error_in_the_middle_of_a_streamed_answer_is_thrown_not_read_as_rows()
    {
        // Large enough that the server has sent 200 and rows before it meets the error.
        var rows = 0;
        var error = await Assert.ThrowsAsync<ClickHouseServerException>(async () =>
        {
            await foreach (var _ in _client.StreamAsync("SELECT throwIf(number = 3000000) FROM system.numbers LIMIT 4000000 SETTINGS max_block_size = 1000", row => row.GetByte(0), Ct))
                rows++;
        });

        Assert.Equal(395, error.Code);
        Assert.True(rows > 0, "the error came after some rows");
        Assert.True(rows <= 3_000_000);
    }

    [Fact]
    public async Task A_streamed_answer_yields_every_row()
    {
        long sum = 0;
        var count = 0;
        await foreach (var n in _client.StreamAsync("SELECT number, toString(number) FROM system.numbers LIMIT 200000", row => (long)row.GetUInt64(0), Ct))
        {
            sum += n;
            count++;
        }

        Assert.Equal(200_000, count);
        Assert.Equal(199_999L * 200_000 / 2, sum);
    }

    [Fact]
    public async Task A_user_with_a_password_is_let_in_and_a_wrong_password_is_a_clear_error()
    {
        var options = await fixture.OptionsAsync(_database);
        using (var right = new ClickHouseClient(options with { User = ClickHouseServer.PasswordUser, Password = ClickHouseServer.PasswordUserPassword }))
            Assert.Equal("1", await right.ScalarAsync("SELECT 1", Ct));

        using var wrong = new ClickHouseClient(options with { User = ClickHouseServer.PasswordUser, Password = "wrong" });
        var error = await Assert.ThrowsAsync<ClickHouseServerException>(() => wrong.ScalarAsync("SELECT 1", Ct));
        Assert.Contains(error.Code, new[] { 192, 193, 516 });
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_unavailable_not_an_error_of_the_query()
    {
        using var client = new ClickHouseClient(new ClickHouseConnectionOptions { Url = new Uri($"http://127.0.0.1:{UnusedPort()}/") });

        var error = await Assert.ThrowsAsync<ClickHouseUnavailableException>(() => client.ScalarAsync("SELECT 1", Ct));
        Assert.Contains("cannot be reached", error.Message);
        Assert.Contains("ConnectionRefused", error.Message);
        await Assert.ThrowsAsync<ClickHouseUnavailableException>(() => client.InsertAsync("t", ["x"], writer => writer.UInt8(1).EndRow(), Ct));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_unavailable()
    {
        using var client = new ClickHouseClient(await fixture.OptionsAsync(_database) with { Timeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<ClickHouseUnavailableException>(() => client.ScalarAsync("SELECT sleep(3)", Ct));

        Assert.Contains("did not answer within", error.Message);
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.ScalarAsync("SELECT sleep(3)", cancel.Token));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sees the raw exchange: the request's and the response's Content-Encoding.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
    {
        private readonly List<(string Request, string Response)> _exchanges = [];

        public IReadOnlyList<(string Request, string Response)> Exchanges
        {
            get { lock (_exchanges) return [.. _exchanges]; }
        }

        public void Clear()
        {
            lock (_exchanges)
                _exchanges.Clear();
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            lock (_exchanges)
                _exchanges.Add((string.Join(",", request.Content?.Headers.ContentEncoding ?? []), string.Join(",", response.Content.Headers.ContentEncoding)));
            return response;
        }
    }
}
