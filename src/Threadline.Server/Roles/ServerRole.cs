namespace Threadline.Server.Roles;

/// <summary>
/// What one <c>threadline serve</c> process does (<c>--role</c>, docs/clickhouse.md "Scale-out"): receive telemetry,
/// answer the API and UI, derive (stitching, analysis, search, alerts, retention). <see cref="All"/> is one process
/// doing everything on its own store; any other set shares a ClickHouse database with other processes.
/// </summary>
[Flags]
public enum ServerRole
{
    Ingest = 1,
    Query = 2,
    Derive = 4,
    All = Ingest | Query | Derive,
}

/// <summary>Reads and prints <c>--role</c>: <c>all</c>, or one or more of <c>ingest</c>, <c>query</c>, <c>derive</c> joined by commas.</summary>
public static class ServerRoles
{
    public static IReadOnlyList<string> Names { get; } = ["all", "ingest", "query", "derive"];

    /// <summary>The role the text names, or null with <paramref name="problem"/> saying why not.</summary>
    public static ServerRole? Parse(string? text, out string? problem)
    {
        problem = null;
        ServerRole role = 0;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            role |= part.ToLowerInvariant() switch
            {
                "all" => ServerRole.All,
                "ingest" => ServerRole.Ingest,
                "query" => ServerRole.Query,
                "derive" => ServerRole.Derive,
                _ => 0,
            };
            if (role == 0 || !Names.Contains(part.ToLowerInvariant()))
            {
                problem = $"--role '{text}' is not a role: use all, or one or more of ingest, query, derive joined by commas (e.g. ingest,query).";
                return null;
            }
        }
        if (role == 0)
        {
            problem = "--role is empty: use all, or one or more of ingest, query, derive joined by commas.";
            return null;
        }
        return role;
    }

    /// <summary>The role as <c>--role</c> takes it: <c>all</c>, or its parts in the order ingest, query, derive.</summary>
    public static string Format(ServerRole role) => role == ServerRole.All
        ? "all"
        : string.Join(',', new[] { (ServerRole.Ingest, "ingest"), (ServerRole.Query, "query"), (ServerRole.Derive, "derive") }
            .Where(r => role.HasFlag(r.Item1)).Select(r => r.Item2));

    /// <summary>Whether the process shares its database with others (every role but <see cref="ServerRole.All"/>).</summary>
    public static bool IsShared(this ServerRole role) => role != ServerRole.All;
}
