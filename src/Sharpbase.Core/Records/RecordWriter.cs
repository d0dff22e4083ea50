using System.Data.Common;
using System.Text;
using System.Text.Json;
using Sharpbase.Json;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Records;

/// <summary>
/// The write operations, each run inside a transaction it is given, so that a single request and
/// a batch share the same code. Expected failures abort with <see cref="RecordAbort"/>.
/// </summary>
internal sealed class RecordWriter(AppSchema schema, SqlDialect dialect, AccessRules rules)
{
    // Per collection, the statements that bump the version of the records pointing at one of its
    // records (@p1) as of @p0, run before that record is deleted: the database then takes it out of
    // their relations (ON DELETE SET NULL, or the link rows' CASCADE), which changes what they read.
    private readonly Dictionary<string, string[]> _referrerBumps = schema.Collections.ToDictionary(c => c.Name, c => ReferrerBumps(schema, dialect, c.Name), StringComparer.Ordinal);

    private static RecordAbort Forbidden(RuleAction action, CollectionDef collection) =>
        new(new RecordResult(RecordStatus.Forbidden) { Detail = $"the {action.ToString().ToLowerInvariant()} rule of {collection.Name} does not allow this" });

    public async Task<RecordResult> CreateAsync(DbConnection connection, DbTransaction transaction, RecordShape shape, JsonElement body, CallerContext caller, CancellationToken cancellationToken)
    {
        var collection = shape.Collection;
        var decision = rules.Decide(collection, RuleAction.Create, caller);
        if (decision == RuleDecision.Denied
            || (decision == RuleDecision.Conditional && !rules.NeedsRecord(collection, RuleAction.Create) && !await CallerRuleHoldsAsync(connection, transaction, collection, caller, cancellationToken)))
        {
            throw Forbidden(RuleAction.Create, collection);
        }
        var errors = new FieldErrors();
        var input = body.ValueKind == JsonValueKind.Object ? RecordInputReader.ReadCreate(collection, body, caller, errors) : null;
        if (input is null)
        {
            throw new RecordAbort(RecordResult.Invalid(FieldErrors.OfBody("the body must be a JSON object")));
        }
        if (!errors.IsEmpty)
        {
            throw new RecordAbort(RecordResult.Invalid(errors));
        }
        var id = input.Id ?? Guid.CreateVersion7(caller.Now).ToString("D");
        var now = FieldValidator.FormatInstant(caller.Now);
        var columns = new StringBuilder("id, created_at, updated_at, version");
        var values = new List<object?> { id, now, now, 1L };
        foreach (var (name, value) in input.Columns)
        {
            columns.Append(", ").Append(dialect.Quote(name));
            values.Add(value);
        }
        // The create rule is checked against the record as stored, inside the transaction, by the
        // statement that reads it back: the row is there, so no row means the rule does not hold.
        List<object?> ruleParameters = [id];
        var rule = rules.Predicate(collection, RuleAction.Create, caller, "t", ruleParameters, input.AsBody());
        if (rule is null && dialect.InsertReturnsRow && input.Relations.Values.All(ids => ids.Count == 0))
        {
            // No rule to check and no links to write after the row: one statement checks that the records
            // it refers to exist, inserts it and returns what a read-back would; no row means one is missing.
            var linked = ExistingTargets(collection, input);
            var source = linked.Count == 0 ? $"VALUES ({Sql.Placeholders(0, values.Count)})" : $"SELECT {Sql.Placeholders(0, values.Count)} WHERE {string.Join(" AND ", linked)}";
            var returning = $"INSERT INTO {shape.Table} AS t ({columns}) {source} RETURNING {shape.SelectList}";
            var created = await RunAsync(() => ReadRowAsync(Sql.Command(connection, transaction, returning, values), shape, id, RecordStatus.Created, cancellationToken), collection);
            if (created.Status == RecordStatus.Created)
            {
                return created;
            }
        }
        await CheckRelationsAsync(connection, transaction, collection, input, cancellationToken);
        var insert = $"INSERT INTO {shape.Table} ({columns}) VALUES ({Sql.Placeholders(0, values.Count)})";
        await RunAsync(() => Sql.ExecuteAsync(connection, transaction, insert, values, cancellationToken), collection);
        foreach (var (field, ids) in input.Relations)
        {
            // A new record has no links yet: nothing to delete first.
            await InsertRelationAsync(connection, transaction, collection, field, id, ids, cancellationToken);
        }
        return await ReadBackCheckedAsync(connection, transaction, shape, id, RuleAction.Create, RecordStatus.Created, rule, ruleParameters, cancellationToken);
    }

    // For each single relation the new record sets, that its target exists: the relation's value is
    // parameter 4 + its place among the columns (after id, created_at, updated_at and version).
    private List<string> ExistingTargets(CollectionDef collection, RecordInput input)
    {
        var conditions = new List<string>();
        var parameter = 4;
        foreach (var (name, value) in input.Columns)
        {
            if (value is string && collection.FindField(name) is { Type: FieldType.Relation } relation)
            {
                conditions.Add($"EXISTS (SELECT 1 FROM {dialect.Quote(relation.Target!)} AS r WHERE r.id = @p{parameter})");
            }
            parameter++;
        }
        return conditions;
    }

    public async Task<RecordResult> UpdateAsync(DbConnection connection, DbTransaction transaction, RecordShape shape, string id, JsonElement body, WritePreconditions? preconditions, CallerContext caller, CancellationToken cancellationToken)
    {
        var collection = shape.Collection;
        var current = await ReadStateAsync(connection, transaction, shape, id, caller, cancellationToken) ?? throw new RecordAbort(RecordResult.NotFound);
        if (rules.Decide(collection, RuleAction.Update, caller) == RuleDecision.Denied)
        {
            throw Forbidden(RuleAction.Update, collection);
        }
        if (preconditions is not null && !preconditions.Hold(current.Version))
        {
            throw new RecordAbort(new RecordResult(RecordStatus.PreconditionFailed) { Version = current.Version });
        }
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new RecordAbort(RecordResult.Invalid(FieldErrors.OfBody("the body must be a JSON object")));
        }
        var errors = new FieldErrors();
        var input = RecordInputReader.ReadPatch(collection, body, caller, errors);
        if (!errors.IsEmpty)
        {
            throw new RecordAbort(RecordResult.Invalid(errors));
        }
        foreach (var (name, patch) in input.JsonPatches)
        {
            input.Columns.Add(new KeyValuePair<string, object?>(name, JsonMergePatch.Apply(current.Json.GetValueOrDefault(name), patch)));
        }
        await CheckRelationsAsync(connection, transaction, collection, input, cancellationToken);
        if (!await RuleHoldsAsync(connection, transaction, shape, id, RuleAction.Update, caller, input, cancellationToken))
        {
            throw Forbidden(RuleAction.Update, collection);
        }
        var sets = new StringBuilder("updated_at = @p0, version = version + 1");
        var values = new List<object?> { FieldValidator.FormatInstant(caller.Now) };
        foreach (var (name, value) in input.Columns)
        {
            values.Add(value);
            sets.Append(", ").Append(dialect.Quote(name)).Append(" = @p").Append(values.Count - 1);
        }
        values.Add(id);
        var update = $"UPDATE {shape.Table} SET {sets} WHERE id = @p{values.Count - 1}";
        await RunAsync(() => Sql.ExecuteAsync(connection, transaction, update, values, cancellationToken), collection);
        if (collection.Auth && input.Columns.Exists(c => c.Key == AuthFields.Disabled && c.Value is true))
        {
            await EndSessionsAsync(connection, transaction, id, caller.Now, cancellationToken);
        }
        foreach (var (field, ids) in input.Relations)
        {
            await Sql.ExecuteAsync(connection, transaction, $"DELETE FROM {dialect.Quote(SqlDialect.JunctionTable(collection.Name, field))} WHERE source = @p0", [id], cancellationToken);
            await InsertRelationAsync(connection, transaction, collection, field, id, ids, cancellationToken);
        }
        // Checked again on the changed record, so nobody can move a record out of their own reach
        // (e.g. hand it to another owner), by the statement that reads it back.
        List<object?> ruleParameters = [id];
        var rule = rules.Predicate(collection, RuleAction.Update, caller, "t", ruleParameters, input.AsBody());
        return await ReadBackCheckedAsync(connection, transaction, shape, id, RuleAction.Update, RecordStatus.Ok, rule, ruleParameters, cancellationToken);
    }

    public async Task<RecordResult> DeleteAsync(DbConnection connection, DbTransaction transaction, RecordShape shape, string id, WritePreconditions? preconditions, CallerContext caller, CancellationToken cancellationToken)
    {
        var current = await ReadStateAsync(connection, transaction, shape, id, caller, cancellationToken) ?? throw new RecordAbort(RecordResult.NotFound);
        if (rules.Decide(shape.Collection, RuleAction.Delete, caller) == RuleDecision.Denied
            || !await RuleHoldsAsync(connection, transaction, shape, id, RuleAction.Delete, caller, null, cancellationToken))
        {
            throw Forbidden(RuleAction.Delete, shape.Collection);
        }
        if (preconditions is not null && !preconditions.Hold(current.Version))
        {
            throw new RecordAbort(new RecordResult(RecordStatus.PreconditionFailed) { Version = current.Version });
        }
        foreach (var bump in _referrerBumps[shape.Collection.Name])
        {
            await Sql.ExecuteAsync(connection, transaction, bump, [FieldValidator.FormatInstant(caller.Now), id], cancellationToken);
        }
        await RunAsync(() => Sql.ExecuteAsync(connection, transaction, $"DELETE FROM {shape.Table} WHERE id = @p0", [id], cancellationToken), shape.Collection);
        if (shape.Collection.Auth)
        {
            // An account's credentials, sessions and keys go with it, in the same transaction.
            foreach (var table in new[] { "_sb_credentials", "_sb_sessions", "_sb_api_keys", "_sb_one_time_tokens", "_sb_recovery_codes" })
            {
                await Sql.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE kind = 'user' AND account_id = @p0", [id], cancellationToken);
            }
        }
        return new RecordResult(RecordStatus.Deleted) { Id = id, Version = current.Version };
    }

    // A required relation refuses the delete (ON DELETE RESTRICT), so only optional and multiple ones change.
    private static string[] ReferrerBumps(AppSchema schema, SqlDialect dialect, string target) =>
        [.. schema.Collections.SelectMany(source => source.Fields
            .Where(f => f.Type == FieldType.Relation && f.Target == target && (f.Multiple || !f.Required))
            .Select(f => $"UPDATE {dialect.Quote(source.Name)} SET version = version + 1, updated_at = @p0 WHERE " + (f.Multiple
                ? $"id IN (SELECT source FROM {dialect.Quote(SqlDialect.JunctionTable(source.Name, f.Name))} WHERE target = @p1)"
                : $"{dialect.Quote(f.Name)} = @p1")))];

    // Disabling an account ends its sessions and outdates its access tokens (as a password reset
    // does), so enabling it again later revives none of them: its owner signs in afresh.
    private static async Task EndSessionsAsync(DbConnection connection, DbTransaction transaction, string id, DateTime now, CancellationToken cancellationToken)
    {
        await Sql.ExecuteAsync(connection, transaction, "UPDATE _sb_credentials SET token_version = token_version + 1 WHERE kind = 'user' AND account_id = @p0", [id], cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, "UPDATE _sb_sessions SET revoked_at = @p0 WHERE kind = 'user' AND account_id = @p1 AND revoked_at IS NULL",
            [FieldValidator.FormatInstant(now), id], cancellationToken);
    }

    /// <summary>Runs a statement that writes a record, turning the database's refusals into the record's conflicts.</summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> statement, CollectionDef collection)
    {
        try
        {
            return await statement();
        }
        catch (DbException e)
        {
            var failure = dialect.Classify(e);
            switch (failure.Kind)
            {
                case StorageFailureKind.UniqueViolation:
                    var field = failure.Field is { } f && collection.FindField(f) is { Hidden: false } ? f : null;
                    var errors = field is null ? null : FieldErrors.Of(field, "is already taken");
                    throw new RecordAbort(RecordResult.Conflict(field is null ? "a record with the same id already exists" : $"the value of '{field}' is already taken", errors));
                case StorageFailureKind.ForeignKeyViolation:
                    throw new RecordAbort(RecordResult.Conflict("the record is still referenced by other records; remove those references first"));
                case StorageFailureKind.Unavailable:
                    throw new StorageUnavailableException("the database is busy", e);
                default:
                    throw;
            }
        }
    }

    // Existence only, not the target's view rule: a message may name a recipient its sender can't
    // read. Ids are random UUIDs, so this answers nothing about ids a caller doesn't already hold.
    private async Task CheckRelationsAsync(DbConnection connection, DbTransaction transaction, CollectionDef collection, RecordInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        foreach (var field in collection.Fields.Where(f => f.Type == FieldType.Relation))
        {
            List<string> ids = field.Multiple
                ? input.Relations.GetValueOrDefault(field.Name) ?? []
                : input.Columns.Where(c => c.Key == field.Name && c.Value is string).Select(c => (string)c.Value!).ToList();
            if (ids.Count == 0)
            {
                continue;
            }
            var found = new HashSet<string>(StringComparer.Ordinal);
            var sql = $"SELECT t.id FROM {dialect.Quote(field.Target!)} AS t WHERE t.id IN ({Sql.Placeholders(0, ids.Count)})";
            await using (var command = Sql.Command(connection, transaction, sql, [.. ids]))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    found.Add(reader.GetString(0));
                }
            }
            foreach (var missing in ids.Where(i => !found.Contains(i)))
            {
                errors.Add(field.Name, $"no record '{missing}' exists in {field.Target}");
            }
        }
        if (!errors.IsEmpty)
        {
            throw new RecordAbort(RecordResult.Invalid(errors));
        }
    }

    private async Task InsertRelationAsync(DbConnection connection, DbTransaction transaction, CollectionDef collection, string field, string id, List<string> ids, CancellationToken cancellationToken)
    {
        var table = dialect.Quote(SqlDialect.JunctionTable(collection.Name, field));
        for (var i = 0; i < ids.Count; i++)
        {
            await Sql.ExecuteAsync(connection, transaction, $"INSERT INTO {table} (source, target, position) VALUES (@p0, @p1, @p2)", [id, ids[i], (long)i], cancellationToken);
        }
    }

    /// <summary>The record's version and json values, if it exists and the caller may view it.</summary>
    private async Task<RecordState?> ReadStateAsync(DbConnection connection, DbTransaction transaction, RecordShape shape, string id, CallerContext caller, CancellationToken cancellationToken)
    {
        var jsonFields = shape.Collection.Fields.Where(f => f.Type == FieldType.Json).Select(f => f.Name).ToList();
        var select = string.Concat("t.version", string.Concat(jsonFields.Select(f => ", t." + dialect.Quote(f))));
        List<object?> parameters = [id];
        var visible = rules.Predicate(shape.Collection, RuleAction.View, caller, "t", parameters) is { } view ? " AND " + view : string.Empty;
        await using var command = Sql.Command(connection, transaction, $"SELECT {select} FROM {shape.Table} AS t WHERE t.id = @p0{visible}", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var json = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < jsonFields.Count; i++)
        {
            json[jsonFields[i]] = reader.IsDBNull(i + 1) ? null : reader.GetString(i + 1);
        }
        return new RecordState(reader.GetInt64(0), json);
    }

    public static Task<RecordResult> ReadBackAsync(DbConnection connection, DbTransaction? transaction, RecordShape shape, string id, RecordStatus status, CancellationToken cancellationToken,
        Func<List<object?>, string?>? condition = null)
    {
        List<object?> parameters = [id];
        var predicate = condition?.Invoke(parameters);
        return ReadBackWhereAsync(connection, transaction, shape, id, status, predicate, parameters, cancellationToken);
    }

    /// <summary>Reads back a record just written, where <paramref name="action"/>'s rule (<paramref name="rule"/>, over <paramref name="parameters"/>) holds for it; forbidden when it does not.</summary>
    private static async Task<RecordResult> ReadBackCheckedAsync(DbConnection connection, DbTransaction transaction, RecordShape shape, string id, RuleAction action, RecordStatus status,
        string? rule, List<object?> parameters, CancellationToken cancellationToken)
    {
        var result = await ReadBackWhereAsync(connection, transaction, shape, id, status, rule, parameters, cancellationToken);
        return result.Status == RecordStatus.NotFound ? throw Forbidden(action, shape.Collection) : result;
    }

    // parameters[0] is the id; the predicate's own values follow it.
    private static Task<RecordResult> ReadBackWhereAsync(DbConnection connection, DbTransaction? transaction, RecordShape shape, string id, RecordStatus status,
        string? predicate, List<object?> parameters, CancellationToken cancellationToken)
    {
        return ReadRowAsync(Sql.Command(connection, transaction, shape.ById(predicate), parameters), shape, id, status, cancellationToken);
    }

    // Runs the command (and disposes it) and writes the row it returns; the callers above pass the
    // task on rather than awaiting it, so a read is one asynchronous step, not three.
    private static async Task<RecordResult> ReadRowAsync(TracedCommand command, RecordShape shape, string id, RecordStatus status, CancellationToken cancellationToken)
    {
        await using var owned = command;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return RecordResult.NotFound;
        }
        // Written into a pooled buffer and copied out once at its size: an ArrayBufferWriter grows by
        // copying through ever larger arrays (a third of the bytes a GET by id allocated).
        using var buffer = new PooledBufferWriter(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            shape.WriteRow(reader, writer);
        }
        return new RecordResult(status) { Json = buffer.WrittenSpan.ToArray(), Id = id, Version = reader.GetInt64(3) };
    }

    // A create rule about the caller only is checked first, so an anonymous caller hears 403, not 422.
    private async Task<bool> CallerRuleHoldsAsync(DbConnection connection, DbTransaction transaction, CollectionDef collection, CallerContext caller, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        if (rules.Predicate(collection, RuleAction.Create, caller, "t", parameters) is not { } predicate)
        {
            return true;
        }
        await using var command = Sql.Command(connection, transaction, $"SELECT 1 WHERE {predicate}", parameters);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private async Task<bool> RuleHoldsAsync(DbConnection connection, DbTransaction transaction, RecordShape shape, string id, RuleAction action, CallerContext caller,
        RecordInput? input, CancellationToken cancellationToken)
    {
        List<object?> parameters = [id];
        if (rules.Predicate(shape.Collection, action, caller, "t", parameters, input?.AsBody()) is not { } predicate)
        {
            return true;
        }
        await using var command = Sql.Command(connection, transaction, $"SELECT 1 FROM {shape.Table} AS t WHERE t.id = @p0 AND {predicate}", parameters);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private sealed record RecordState(long Version, Dictionary<string, string?> Json);
}
