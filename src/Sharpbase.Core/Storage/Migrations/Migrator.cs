using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Sharpbase.Schema;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Storage.Migrations;

/// <summary>Brings a database to a schema in one transaction and records what it did.</summary>
public sealed class Migrator(Database database, TimeProvider timeProvider)
{
    /// <summary>Reads the applied snapshot and plans the changes to <paramref name="schema"/>.</summary>
    public async Task<MigrationPlan> PlanAsync(AppSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var applied = await ReadAppliedAsync(cancellationToken);
        return MigrationPlanner.Plan(applied, schema.Collections, database.Dialect);
    }

    /// <summary>
    /// Applies the plan to <paramref name="schema"/>. Destructive steps run only when
    /// <paramref name="allowDestructive"/>; otherwise the result lists them and nothing changes.
    /// The plan is made again inside the migration transaction, after the dialect's migration lock,
    /// so nodes starting together migrate once: the others find the schema already applied.
    /// </summary>
    public async Task<MigrationResult> ApplyAsync(AppSchema schema, bool allowDestructive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var snapshot = MigrationPlanner.Snapshot(schema.Collections);
        if (database is SqliteDatabase sqlite)
        {
            return await sqlite.WithForeignKeysOffAsync(async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var result = await ApplyStepsAsync(connection, transaction, schema, snapshot, allowDestructive, cancellationToken);
                await CheckForeignKeysAsync(connection, transaction, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }, cancellationToken);
        }
        return await database.WriteAsync((connection, transaction) => ApplyStepsAsync(connection, transaction, schema, snapshot, allowDestructive, cancellationToken), cancellationToken);
    }

    private async Task<MigrationResult> ApplyStepsAsync(DbConnection connection, DbTransaction transaction, AppSchema schema, string snapshot, bool allowDestructive,
        CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        if (dialect.MigrationLock is { } migrationLock)
        {
            await Sql.ExecuteAsync(connection, transaction, migrationLock, [], cancellationToken);
        }
        foreach (var sql in dialect.SystemTables())
        {
            await Sql.ExecuteAsync(connection, transaction, sql, [], cancellationToken);
        }
        var previous = await ReadSnapshotAsync(connection, transaction, cancellationToken);
        var plan = MigrationPlanner.Plan(previous is null ? null : MigrationPlanner.ReadSnapshot(previous), schema.Collections, dialect);
        if (plan.HasDestructive && !allowDestructive)
        {
            return new MigrationResult(plan, false);
        }
        if (plan.IsEmpty && previous == snapshot)
        {
            return new MigrationResult(plan, true);
        }
        foreach (var step in plan.Steps)
        {
            try
            {
                foreach (var sql in step.Statements)
                {
                    await Sql.ExecuteAsync(connection, transaction, sql, [], cancellationToken);
                }
            }
            catch (DbException e) when (dialect.Classify(e).Kind != StorageFailureKind.Unavailable)
            {
                throw new MigrationException($"'{step.Description}' failed ({e.Message}); nothing was changed", e);
            }
        }
        var now = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var description = plan.IsEmpty ? "schema options changed" : string.Join("\n", plan.Steps.Select(s => s.Description));
        var statements = JsonSerializer.Serialize(plan.Steps.SelectMany(s => s.Statements).ToList(), MigrationJsonContext.Default.ListString);
        await Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO _sb_migrations (applied_at, description, statements) VALUES (@p0, @p1, @p2)", [now, description, statements], cancellationToken);
        await Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO _sb_schema (id, snapshot) VALUES (1, @p0) ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot", [snapshot], cancellationToken);
        return new MigrationResult(plan, true);
    }

    private async Task<IReadOnlyList<CollectionDef>?> ReadAppliedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var json = await ReadSnapshotAsync(connection, null, cancellationToken);
        return json is null ? null : MigrationPlanner.ReadSnapshot(json);
    }

    private static async Task<string?> ReadSnapshotAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT snapshot FROM _sb_schema WHERE id = 1";
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        catch (DbException) when (transaction is null)
        {
            // A database never migrated has no _sb_schema table yet.
            return null;
        }
    }

    private static async Task CheckForeignKeysAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA foreign_key_check";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            throw new MigrationException($"the migration would leave records of '{reader.GetString(0)}' pointing at records that do not exist");
        }
    }
}
