using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Sharpbase.Admin;

/// <summary>
/// PostgreSQL's plan of a statement shape (<c>EXPLAIN (FORMAT JSON, VERBOSE)</c> of its generic plan,
/// verbose so sort keys name their table), read for the root table <c>t</c>: a <c>Seq Scan</c>, or an
/// index scan with no index condition, reads every row; a <c>Sort</c> on its columns is a sort no index serves.
/// </summary>
internal static partial class PostgresPlans
{
    private const string Statement = "sb_advisor_plan";

    /// <summary>
    /// Plans as if every way to avoid a scan or a sort were taken: on a small table the planner rightly
    /// prefers a scan even when an index exists, and the question is whether a usable index exists.
    /// Parameters stay parameters (a generic plan), so a NULL bound to them is not folded away.
    /// </summary>
    public static async Task BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, "SET enable_seqscan = off; SET enable_sort = off; SET plan_cache_mode = force_generic_plan", cancellationToken);

    public static async Task EndAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, "RESET enable_seqscan; RESET enable_sort; RESET plan_cache_mode", cancellationToken);

    /// <summary>The plan's nodes, one line each, and whether the root table is read whole or sorted; empty when the shape no longer plans.</summary>
    public static async Task<(List<string> Details, bool FullScan, bool Sort)> ExplainAsync(NpgsqlConnection connection, string shape, CancellationToken cancellationToken)
    {
        var details = new List<string>();
        var count = 0;
        var positional = Parameter().Replace(shape, m =>
        {
            var index = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            count = Math.Max(count, index + 1);
            return "$" + (index + 1).ToString(CultureInfo.InvariantCulture);
        });
        try
        {
            await ExecuteAsync(connection, $"PREPARE {Statement} AS {positional}", cancellationToken);
        }
        catch (PostgresException)
        {
            // A shape of a table that a later migration changed no longer plans; it has nothing to say about today's indexes.
            return (details, false, false);
        }
        try
        {
            var arguments = count == 0 ? string.Empty : "(" + string.Join(", ", Enumerable.Repeat("NULL", count)) + ")";
            await using var command = new NpgsqlCommand($"EXPLAIN (FORMAT JSON, VERBOSE) EXECUTE {Statement}{arguments}", connection);
            var json = (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "[]";
            using var plan = JsonDocument.Parse(json);
            var (scan, sort) = (false, false);
            foreach (var root in plan.RootElement.EnumerateArray())
            {
                Walk(root.GetProperty("Plan"), details, ref scan, ref sort);
            }
            return (details, scan, sort);
        }
        catch (PostgresException)
        {
            return (details, false, false);
        }
        finally
        {
            // Pooled connections are not reset: the statement goes even when the check was cancelled, so the next check can prepare it again.
            await ExecuteAsync(connection, $"DEALLOCATE {Statement}", CancellationToken.None);
        }
    }

    private static void Walk(JsonElement node, List<string> details, ref bool scan, ref bool sort)
    {
        var type = Text(node, "Node Type") ?? "?";
        var alias = Text(node, "Alias");
        var line = new StringBuilder(type);
        if (Text(node, "Relation Name") is { } relation)
        {
            line.Append(" on ").Append(relation).Append(' ').Append(alias);
        }
        if (Text(node, "Index Name") is { } index)
        {
            line.Append(" using ").Append(index);
        }
        var condition = Text(node, "Index Cond");
        if (condition is not null)
        {
            line.Append(" cond ").Append(condition);
        }
        if (Text(node, "Filter") is { } filter)
        {
            line.Append(" filter ").Append(filter);
        }
        var keys = node.TryGetProperty("Sort Key", out var sortKey) ? sortKey.EnumerateArray().Select(k => k.GetString() ?? string.Empty).ToList() : [];
        if (keys.Count > 0)
        {
            line.Append(" by ").Append(string.Join(", ", keys));
        }
        details.Add(line.ToString());
        if (alias == "t" && (type == "Seq Scan" || (type is "Index Scan" or "Index Only Scan" && condition is null)))
        {
            scan = true;
        }
        // A sort by the primary key alone is the tie-breaker after columns an index already ordered (or pinned with =).
        if (type == "Sort" && keys.Any(k => k.StartsWith("t.", StringComparison.Ordinal) && !k.StartsWith("t.id ", StringComparison.Ordinal) && k != "t.id"))
        {
            sort = true;
        }
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Walk(child, details, ref scan, ref sort);
            }
        }
    }

    private static string? Text(JsonElement node, string name) => node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("@p([0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
