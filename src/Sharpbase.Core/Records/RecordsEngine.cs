using System.Data.Common;
using System.Text;
using System.Text.Json;
using Sharpbase.Records.Nested;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Records;

/// <summary>
/// The one engine every transport goes through: reads, writes, batches and idempotency for the
/// collections of a schema.
/// </summary>
public sealed class RecordsEngine
{
    private readonly Database _database;
    private readonly CursorCodec _cursors;
    private volatile EngineModel _model;

    /// <summary>Creates the engine for a migrated database.</summary>
    public RecordsEngine(AppSchema schema, Database database, RecordsOptions options, AccessRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _database = database;
        _cursors = new CursorCodec(options.CursorKey);
        _model = new EngineModel(schema, rules, database.Dialect, _cursors);
    }

    // Starts at a random point so validators from before a restart never match.
    private long _changes = BitConverter.ToInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) & long.MaxValue;

    /// <summary>Raised after every committed write, on the writing thread (keep handlers short).</summary>
    public event Action<RecordChange>? Changed;

    /// <summary>The schema served; a reload replaces it.</summary>
    public AppSchema Schema => _model.Schema;

    /// <summary>The access rules of the schema served.</summary>
    public AccessRules Rules => _model.Rules;

    /// <summary>The engine's settings.</summary>
    public RecordsOptions Options { get; }

    /// <summary>True when a collection of that name exists.</summary>
    public bool HasCollection(string name) => _model.HasCollection(name);

    /// <summary>The collection of that name in the schema being served, or null; found by a dictionary lookup.</summary>
    public CollectionDef? Collection(string name) => _model.Collection(name);

    /// <summary>
    /// Serves <paramref name="schema"/> from now on, for a database already migrated to it. Requests
    /// that started before finish on the schema they started with; list validators change, so no
    /// page from the old schema is answered with 304. Statements generated and kept prepared for the
    /// old schema are dropped.
    /// </summary>
    public void Reload(AppSchema schema, AccessRules rules)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(rules);
        _model = new EngineModel(schema, rules, _database.Dialect, _cursors);
        _database.ForgetStatements();
        Interlocked.Increment(ref _changes);
    }

    /// <summary>Reads one record the caller may view (a record the view rule hides is not found).</summary>
    public Task<RecordResult> GetAsync(string collection, string id, CallerContext caller, CancellationToken cancellationToken) =>
        GetAsync(collection, id, caller, null, null, cancellationToken);

    /// <summary>Reads one record with only <paramref name="fields"/> and with <paramref name="expand"/>ed relations.</summary>
    public Task<RecordResult> GetAsync(string collection, string id, CallerContext caller, string? fields, string? expand, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var model = _model;
        var full = model.Shape(collection);
        if (!SelectionParser.TryParseFields(fields, full.Collection, out var only, out var error)
            || !SelectionParser.TryParseExpand(expand, full.Collection, model.Schema, out var nodes, out error))
        {
            return Task.FromResult(new RecordResult(RecordStatus.BadParameter) { Detail = error!.Message, Code = error.Code });
        }
        var shape = model.ShapeFor(full.Collection, only);
        if (model.Rules.Decide(shape.Collection, RuleAction.View, caller) == RuleDecision.Denied)
        {
            return Task.FromResult(new RecordResult(RecordStatus.Forbidden) { Detail = $"only superusers may view {collection}" });
        }
        if (!ValidId(id))
        {
            return Task.FromResult(RecordResult.NotFound);
        }
        if (nodes.Count == 0)
        {
            return ReadAsync(connection => RecordWriter.ReadBackAsync(connection, null, shape, id, RecordStatus.Ok, cancellationToken,
                parameters => model.Rules.Predicate(shape.Collection, RuleAction.View, caller, "t", parameters)), cancellationToken);
        }
        return ReadAsync(connection => model.Lister.GetExpandedAsync(connection, shape, id, nodes, caller, cancellationToken), cancellationToken);
    }

    /// <summary>Lists a page of records as <c>{"items": [...], "next_cursor": …, "total": …}</c>, or says which parameter is wrong.</summary>
    public Task<ListResult> ListAsync(string collection, ListRequest request, CallerContext caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        var model = _model;
        var target = model.Shape(collection).Collection;
        return ReadAsync(connection => model.Lister.ListAsync(connection, target, request, caller, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Reads one record the caller may view with a nested selection, in one statement; the result is
    /// empty when the record is not found or hidden by the view rule. Rules apply at every level.
    /// </summary>
    public Task<NestedResult> ReadNestedAsync(string collection, string id, NestedSelection selection, CallerContext caller, CancellationToken cancellationToken) =>
        ReadNestedAsync(collection, id, selection, caller, viewRule: true, cancellationToken);

    /// <summary>
    /// Reads a record just written by this caller (as the write's own response does, without its
    /// view rule); every nested level still has its rule.
    /// </summary>
    internal Task<NestedResult> ReadWrittenAsync(string collection, string id, NestedSelection selection, CallerContext caller, CancellationToken cancellationToken) =>
        ReadNestedAsync(collection, id, selection, caller, viewRule: false, cancellationToken);

    /// <summary>
    /// Lists a page with a nested selection in one statement (count included), with the filter,
    /// sort and signed cursors of <see cref="ListAsync"/>; rules apply at every level.
    /// </summary>
    public Task<NestedResult> ListNestedAsync(string collection, NestedPage page, CallerContext caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(caller);
        var model = _model;
        var target = model.Shape(collection).Collection;
        return ReadAsync(connection => model.Nested.PageAsync(connection, target, page, caller, cancellationToken), cancellationToken);
    }

    private Task<NestedResult> ReadNestedAsync(string collection, string id, NestedSelection selection, CallerContext caller, bool viewRule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(caller);
        var model = _model;
        var target = model.Shape(collection).Collection;
        return ValidId(id)
            ? ReadAsync(connection => model.Nested.OneAsync(connection, target, id, selection, caller, viewRule, cancellationToken), cancellationToken)
            : Task.FromResult(new NestedResult(default, null));
    }

    /// <summary>
    /// The validator of a list page for this caller: it changes with every committed write anywhere
    /// (a page can show related records through expand and filters), with the normalised query and
    /// with who asks, so <c>If-None-Match</c> can answer 304 without running the query — and never
    /// for a page that a committed write has changed.
    /// </summary>
    public string ListETag(string collection, ListRequest request, CallerContext caller) => ListETag(collection, request, caller, Interlocked.Read(ref _changes));

    /// <summary>
    /// The validator of a list page by a change counter kept outside this process (shared by every
    /// node of a cluster), which must move on every committed write.
    /// </summary>
    public static string ListETag(string collection, ListRequest request, CallerContext caller, long changes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        var text = string.Join("\n", changes, collection, request.Limit, request.Offset, request.After, request.Filter, request.Sort, request.Fields,
            request.Expand, request.Count, caller.AuthId, caller.IsSuperuser, string.Join(",", caller.Roles));
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return "W/\"l" + Convert.ToHexStringLower(hash.AsSpan(0, 12)) + "\"";
    }

    /// <summary>
    /// The count of committed writes so far. It moves before a write is acknowledged, so a cache
    /// keyed by it never serves what a write acknowledged earlier has replaced.
    /// </summary>
    internal long Changes => Interlocked.Read(ref _changes);

    /// <summary>Records a committed write made outside the engine (e.g. an account marked verified).</summary>
    public void Touch(RecordChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Interlocked.Increment(ref _changes);
        Changed?.Invoke(change);
    }

    /// <summary>Creates a record; with an idempotency entry, stores the response in the same transaction.</summary>
    public Task<RecordResult> CreateAsync(string collection, JsonElement body, CallerContext caller, IdempotencyEntry? idempotency, CancellationToken cancellationToken) =>
        WriteOneAsync(collection, BatchAction.Create, (connection, transaction) => WithModel(model => model.Writer.CreateAsync(connection, transaction, model.Shape(collection), body, caller, cancellationToken)), caller, idempotency, null, cancellationToken);

    /// <summary>
    /// Creates a record and runs <paramref name="alsoInTransaction"/> in the same transaction when the
    /// create succeeded (e.g. an account's credentials); its exception rolls the record back.
    /// </summary>
    internal Task<RecordResult> CreateWithAsync(string collection, JsonElement body, CallerContext caller, Func<DbConnection, DbTransaction, RecordResult, Task> alsoInTransaction, CancellationToken cancellationToken) =>
        WriteOneAsync(collection, BatchAction.Create, (connection, transaction) => WithModel(model => model.Writer.CreateAsync(connection, transaction, model.Shape(collection), body, caller, cancellationToken)), caller, null, alsoInTransaction, cancellationToken);

    /// <summary>Applies a JSON merge patch to a record.</summary>
    public Task<RecordResult> UpdateAsync(string collection, string id, JsonElement body, WritePreconditions? preconditions, CallerContext caller, IdempotencyEntry? idempotency, CancellationToken cancellationToken) =>
        ValidId(id)
            ? WriteOneAsync(collection, BatchAction.Update, (connection, transaction) => WithModel(model => model.Writer.UpdateAsync(connection, transaction, model.Shape(collection), id, body, preconditions, caller, cancellationToken)), caller, idempotency, null, cancellationToken)
            : Task.FromResult(RecordResult.NotFound);

    /// <summary>Deletes a record.</summary>
    public Task<RecordResult> DeleteAsync(string collection, string id, WritePreconditions? preconditions, CallerContext caller, CancellationToken cancellationToken) =>
        ValidId(id)
            ? WriteOneAsync(collection, BatchAction.Delete, (connection, transaction) => WithModel(model => model.Writer.DeleteAsync(connection, transaction, model.Shape(collection), id, preconditions, caller, cancellationToken)), caller, null, null, cancellationToken)
            : Task.FromResult(RecordResult.NotFound);

    /// <summary>
    /// Runs several writes in one transaction: all of them, or none. With an idempotency entry, the
    /// answer (<see cref="BatchResult.ToJson"/>) is stored in the same transaction.
    /// </summary>
    public async Task<BatchResult> BatchAsync(IReadOnlyList<BatchOperation> operations, CallerContext caller, IdempotencyEntry? idempotency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var model = _model;
        try
        {
            var results = await WriteAsync(async (connection, transaction) =>
            {
                var results = new List<RecordResult>(operations.Count);
                for (var i = 0; i < operations.Count; i++)
                {
                    var op = operations[i];
                    try
                    {
                        var shape = model.Shape(op.Collection);
                        results.Add(op.Action switch
                        {
                            BatchAction.Create => await model.Writer.CreateAsync(connection, transaction, shape, op.Body, caller, cancellationToken),
                            BatchAction.Update when ValidId(op.Id) => await model.Writer.UpdateAsync(connection, transaction, shape, op.Id!, op.Body, null, caller, cancellationToken),
                            BatchAction.Delete when ValidId(op.Id) => await model.Writer.DeleteAsync(connection, transaction, shape, op.Id!, null, caller, cancellationToken),
                            _ => throw new RecordAbort(RecordResult.NotFound),
                        });
                    }
                    catch (RecordAbort abort)
                    {
                        throw new RecordAbort(abort.Result, i);
                    }
                }
                if (idempotency is not null)
                {
                    var answer = new RecordResult(RecordStatus.Ok) { Json = BatchResult.ToJson(results) };
                    await RememberAsync(connection, transaction, idempotency, answer, caller.Now, cancellationToken);
                }
                return results;
            }, cancellationToken);
            for (var i = 0; i < results.Count; i++)
            {
                Touch(new RecordChange(operations[i].Collection, results[i].Id!, operations[i].Action));
            }
            return new BatchResult(results, null, -1);
        }
        catch (RecordAbort abort)
        {
            return new BatchResult([], abort.Result, abort.Index);
        }
    }

    /// <summary>Finds the stored first response of an Idempotency-Key, if it is still in its window.</summary>
    public async Task<IdempotentReplay?> FindIdempotentAsync(string scope, string key, DateTime now, CancellationToken cancellationToken)
    {
        var cutoff = FieldValidator.FormatInstant(now - Options.IdempotencyWindow);
        return await ReadAsync(async connection =>
        {
            await using var command = Sql.Command(connection, null,
                "SELECT request_hash, status, record_id, version, body FROM _sb_idempotency WHERE scope = @p0 AND key = @p1 AND created_at >= @p2", [scope, key, cutoff]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            return new IdempotentReplay(reader.GetString(0), (RecordStatus)reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetString(4));
        }, cancellationToken);
    }

    private async Task<RecordResult> WriteOneAsync(string collection, BatchAction action, Func<DbConnection, DbTransaction, Task<RecordResult>> work, CallerContext caller,
        IdempotencyEntry? idempotency, Func<DbConnection, DbTransaction, RecordResult, Task>? alsoInTransaction, CancellationToken cancellationToken)
    {
        try
        {
            var written = await WriteAsync(async (connection, transaction) =>
            {
                var result = await work(connection, transaction);
                if (alsoInTransaction is not null)
                {
                    await alsoInTransaction(connection, transaction, result);
                }
                if (idempotency is not null)
                {
                    await RememberAsync(connection, transaction, idempotency, result, caller.Now, cancellationToken);
                }
                return result;
            }, cancellationToken);
            Touch(new RecordChange(collection, written.Id!, action));
            return written;
        }
        catch (RecordAbort abort)
        {
            return abort.Result;
        }
    }

    private async Task RememberAsync(DbConnection connection, DbTransaction transaction, IdempotencyEntry entry, RecordResult result, DateTime now, CancellationToken cancellationToken)
    {
        var cutoff = FieldValidator.FormatInstant(now - Options.IdempotencyWindow);
        // A key past its window may be reused: the old response is replaced.
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM _sb_idempotency WHERE scope = @p0 AND key = @p1", [entry.Scope, entry.Key], cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM _sb_idempotency WHERE created_at < @p0", [cutoff], cancellationToken);
        try
        {
            await Sql.ExecuteAsync(connection, transaction,
                "INSERT INTO _sb_idempotency (scope, key, request_hash, status, record_id, version, body, created_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)",
                [entry.Scope, entry.Key, entry.RequestHash, (long)result.Status, result.Id, result.Version, Encoding.UTF8.GetString(result.Json.Span), FieldValidator.FormatInstant(now)], cancellationToken);
        }
        catch (DbException e) when (_database.Dialect.Classify(e).Kind == StorageFailureKind.UniqueViolation)
        {
            // Another node took the same key at the same moment (no shared Redis gate to stop it):
            // this write rolls back, and a retry is answered with the response the first one stored.
            throw new RecordAbort(RecordResult.Conflict(IdempotencyEntry.InProgressDetail) with { Code = IdempotencyEntry.InProgressCode });
        }
    }

    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _database.WriteAsync(work, cancellationToken);
        }
        catch (DbException e) when (_database.Dialect.Classify(e).Kind == StorageFailureKind.Unavailable)
        {
            throw new StorageUnavailableException("the database is unavailable", e);
        }
    }

    private async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenReaderAsync(cancellationToken);
            return await work(connection);
        }
        catch (DbException e) when (_database.Dialect.Classify(e).Kind == StorageFailureKind.Unavailable)
        {
            throw new StorageUnavailableException("the database is unavailable", e);
        }
    }

    private Task<RecordResult> WithModel(Func<EngineModel, Task<RecordResult>> work) => work(_model);

    /// <summary>
    /// True for an id as Sharpbase writes them: a UUID in its 36-character form with lowercase hex
    /// digits (what <c>Guid.ToString("D")</c> gives). Checked character by character: parsing and
    /// formatting it back took about 1% of the instructions of a GET by id.
    /// </summary>
    internal static bool ValidId(string? id)
    {
        if (id is not { Length: 36 })
        {
            return false;
        }
        for (var i = 0; i < id.Length; i++)
        {
            if (i is 8 or 13 or 18 or 23 ? id[i] != '-' : !char.IsAsciiHexDigitLower(id[i]))
            {
                return false;
            }
        }
        return true;
    }
}
