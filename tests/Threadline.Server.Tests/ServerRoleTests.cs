using Threadline.Server.Roles;

namespace Threadline.Server.Tests;

/// <summary><c>--role</c>: all (one process, its own store), or ingest, query and derive split over processes sharing ClickHouse.</summary>
public sealed class ServerRoleTests
{
    [Theory]
    [InlineData("all", ServerRole.All, "all")]
    [InlineData("ingest", ServerRole.Ingest, "ingest")]
    [InlineData(" Query ", ServerRole.Query, "query")]
    [InlineData("derive", ServerRole.Derive, "derive")]
    [InlineData("query,ingest", ServerRole.Ingest | ServerRole.Query, "ingest,query")]
    [InlineData("ingest,query,derive", ServerRole.All, "all")]
    public void Roles_are_read_alone_or_joined_by_commas_and_printed_in_one_order(string text, ServerRole expected, string printed)
    {
        Assert.Equal(expected, ServerRoles.Parse(text, out var problem));
        Assert.Null(problem);
        Assert.Equal(printed, ServerRoles.Format(expected));
    }

    [Theory]
    [InlineData("ingester")]
    [InlineData("ingest,reader")]
    [InlineData("")]
    [InlineData(" , ")]
    public void Anything_else_is_refused_saying_what_is_accepted(string text)
    {
        Assert.Null(ServerRoles.Parse(text, out var problem));
        Assert.Contains("ingest, query, derive", problem);
    }

    [Fact]
    public void A_role_other_than_all_needs_the_clickhouse_store()
    {
        var problems = new ThreadlineServerOptions { DataDirectory = "data", Role = ServerRole.Ingest | ServerRole.Query }.Validate();

        Assert.Equal(["--role ingest,query needs --store clickhouse: only several processes sharing one ClickHouse database split the roles; the embedded DuckDB store is one process's (use --role all)."], problems);
        Assert.Empty(new ThreadlineServerOptions { DataDirectory = "data", Store = "clickhouse", ClickHouseUrl = "http://127.0.0.1:8123", Role = ServerRole.Derive }.Validate());
        Assert.Empty(new ThreadlineServerOptions { DataDirectory = "data", Role = ServerRole.All }.Validate());
    }
}
