using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using Sharpbase.Storage;

namespace Sharpbase.Admin;

/// <summary>
/// Filters and sorts that ran often without a usable index: each frequent statement shape of a
/// collection is planned by the database (SQLite's <c>EXPLAIN QUERY PLAN</c>, PostgreSQL's
/// <c>EXPLAIN (FORMAT JSON)</c>); a full scan under a condition, or a sort no index serves (a
/// temporary B-tree, a <c>Sort</c> node), is reported with the index that serves it.
/// </summary>
internal static partial class IndexChecks
{
    public static async Task AddAsync(AdvisorInput input, List<Finding> findings, CancellationToken cancellationToken)
    {
        var frequent = input.Shapes.Where(s => s.Count >= Advisor.OftenRuns && s.Collection is { } name && input.Schema.FindCollection(name) is not null
            && s.Shape.StartsWith("SELECT", StringComparison.Ordinal)).ToList();
        if (frequent.Count == 0 || input.OpenReader is null)
        {
            return;
        }
        await using var connection = await input.OpenReader(cancellationToken);
        var postgres = connection as NpgsqlConnection;
        if (connection is not SqliteConnection && postgres is null)
        {
            return;
        }
        try
        {
            if (postgres is not null)
            {
                await PostgresPlans.BeginAsync(postgres, cancellationToken);
            }
            await CheckAsync(connection, postgres, frequent, findings, cancellationToken);
        }
        finally
        {
            if (postgres is not null)
            {
                // Connections go back to the pool without a reset: the planner settings are undone even when the check was cancelled.
                await PostgresPlans.EndAsync(postgres, CancellationToken.None);
            }
        }
    }

    private static async Task CheckAsync(DbConnection connection, NpgsqlConnection? postgres, List<Observability.StatementStats> frequent,
        List<Finding> findings, CancellationToken cancellationToken)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (shape, collection, count, totalMs, _, rows) in frequent)
        {
            var (where, order) = Columns(shape);
            var (plan, fullScan, sort) = postgres is not null ? await PostgresPlans.ExplainAsync(postgres, shape, cancellationToken) : await SqlitePlanAsync(connection, shape, cancellationToken);
            var scans = where.Count > 0 && fullScan;
            var sorts = order.Count > 0 && sort;
            if (!scans && !sorts)
            {
                continue;
            }
            var columns = where.Concat(order).Distinct(StringComparer.Ordinal).ToList();
            var index = SqlDialect.CompositeIndexName(collection!, columns);
            if (!reported.Add(index))
            {
                continue;
            }
            findings.Add(new Finding("missing-index", Finding.Warning,
                $"A {(scans ? "filter" : "sort")} on '{collection}' ran often without an index",
                string.Create(CultureInfo.InvariantCulture, $"{count} runs ({totalMs:0} ms in all, {rows} rows read) of: {shape} — the query plan is: {string.Join("; ", plan)}"),
                $"Add to collections.{collection}: indexes: [[{string.Join(", ", columns)}]] (a migration creates it: CREATE INDEX \"{index}\" ON \"{collection}\" ({string.Join(", ", columns.Select(c => "\"" + c + "\""))}))"));
        }
    }

    // "SCAN t" or "SCAN t USING INDEX <primary key>": every row of the collection is read and tested; "SEARCH t USING INDEX" is the index at work.
    private static bool IsFullScan(string detail) => RootScan().IsMatch(detail);

    /// <summary>The root row's columns the statement compares (in its WHERE) and sorts by (in its ORDER BY); the primary key is left out.</summary>
    internal static (List<string> Where, List<string> Order) Columns(string shape)
    {
        var orderAt = shape.LastIndexOf(" ORDER BY ", StringComparison.Ordinal);
        var whereAt = shape.IndexOf(" WHERE ", StringComparison.Ordinal);
        var wherePart = whereAt < 0 ? string.Empty : shape[whereAt..(orderAt > whereAt ? orderAt : shape.Length)];
        var orderPart = orderAt < 0 ? string.Empty : shape[orderAt..];
        var limitAt = orderPart.IndexOf(" LIMIT ", StringComparison.Ordinal);
        if (limitAt > 0)
        {
            orderPart = orderPart[..limitAt];
        }
        return (Distinct(Compared().Matches(wherePart)), Distinct(Column().Matches(orderPart)));
    }

    private static List<string> Distinct(MatchCollection matches) =>
        [.. matches.Select(m => m.Groups[1].Value).Where(c => c != "id").Distinct(StringComparer.Ordinal)];

    private static async Task<(List<string> Details, bool FullScan, bool Sort)> SqlitePlanAsync(DbConnection connection, string shape, CancellationToken cancellationToken)
    {
        var details = await PlanAsync(connection, shape, cancellationToken);
        return (details, details.Any(IsFullScan), details.Any(d => d.StartsWith("USE TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal)));
    }

    private static async Task<List<string>> PlanAsync(DbConnection connection, string shape, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + shape;
        // The plan does not depend on the values, so every parameter is bound to NULL.
        foreach (var name in Parameter().Matches(shape).Select(m => m.Value).Distinct(StringComparer.Ordinal))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }
        var details = new List<string>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                details.Add(reader.GetString(reader.FieldCount - 1));
            }
        }
        catch (SqliteException)
        {
            // A shape of a table that a later migration changed no longer plans; it has nothing to say about today's indexes.
        }
        return details;
    }

    [GeneratedRegex("\\bt\\.\"([a-z_][a-z0-9_]*)\"\\s*(?:=|<|>|IN\\b|IS\\b)", RegexOptions.CultureInvariant)]
    private static partial Regex Compared();

    [GeneratedRegex("\\bt\\.\"([a-z_][a-z0-9_]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Column();

    [GeneratedRegex("^SCAN (?:TABLE \\S+ AS )?t(?: |$)", RegexOptions.CultureInvariant)]
    private static partial Regex RootScan();

    [GeneratedRegex("@p[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
