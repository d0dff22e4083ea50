using Sharpbase.Rules;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Sharpbase.Caching;
using Sharpbase.Cluster;
using Sharpbase.Errors;
using Sharpbase.Hosting;
using Sharpbase.Json;
using Sharpbase.Records;
using Sharpbase.Schema;

namespace Sharpbase.Rest;

/// <summary>
/// Handlers of the single-collection routes. The services are the instance's, resolved once when
/// the routes are mapped: a handler that names services as parameters resolves them from the
/// request's services on every request, which creates a service scope per request.
/// </summary>
internal sealed class RecordHandlers(SharpbaseRuntime runtime, TimeProvider time, ViewCache views, ListCache lists, SharedChanges changes, IdempotencyGate gate,
    IOptions<SharpbaseOptions> options)
{
    private static readonly HashSet<string> ListParameters = new(StringComparer.Ordinal) { "filter", "limit", "offset", "after", "sort", "fields", "expand", "count" };

    public async Task<IResult> GetAsync(string collection, string id, HttpContext context)
    {
        if (Refuse(collection, context, out var caller) is { } refusal)
        {
            return refusal;
        }
        string? fields = null, expand = null;
        // Without a query string there is no query collection to make.
        if (context.Request.QueryString.HasValue)
        {
            foreach (var (key, values) in context.Request.Query)
            {
                if (key is not ("fields" or "expand") || values.Count != 1)
                {
                    return Problem.BadRequest(values.Count != 1 ? $"query parameter '{EchoedText.Bound(key)}' is given more than once" : $"unknown query parameter '{EchoedText.Bound(key)}'; supported: expand, fields");
                }
            }
            (fields, expand) = (Text(context.Request.Query, "fields"), Text(context.Request.Query, "expand"));
        }
        var result = runtime.Engine.Collection(collection) is { CacheTtl: { } ttl } cached
            ? await CachedViewAsync(cached, ttl, id, fields, expand, caller, context.RequestAborted)
            : await runtime.Engine.GetAsync(collection, id, caller, fields, expand, context.RequestAborted);
        if (result.Status != RecordStatus.Ok)
        {
            return Problem.FromRecord(result, RecordNotFound(collection, id));
        }
        var ifNoneMatch = HttpPreconditions.Parse(context.Request.Headers.IfNoneMatch, allowWeak: true);
        return ifNoneMatch is not null && ifNoneMatch.Matches(result.Version)
            ? new RecordResponse(StatusCodes.Status304NotModified, default, result.Version)
            : new RecordResponse(StatusCodes.Status200OK, result.Json, result.Version);
    }

    // The view through the cache, in its own method: the delegate it needs captures the request's
    // values, and a closure in GetAsync would be made for every request, cached or not. The cache is
    // keyed by the change counter every node shares (a Redis round trip, so only collections with a
    // cache read it); without a trustworthy one the database answers.
    private async Task<RecordResult> CachedViewAsync(CollectionDef collection, TimeSpan ttl, string id, string? fields, string? expand, CallerContext caller,
        CancellationToken cancellationToken)
    {
        var counter = await changes.ReadAsync();
        return counter.Known
            ? await views.GetOrViewAsync(counter.Shared ?? runtime.Engine.Changes, collection, ttl, id, fields, expand, caller,
                token => runtime.Engine.GetAsync(collection.Name, id, caller, fields, expand, token), cancellationToken)
            : await runtime.Engine.GetAsync(collection.Name, id, caller, fields, expand, cancellationToken);
    }

    public async Task<IResult> ListAsync(string collection, HttpContext context)
    {
        if (Refuse(collection, context, out var caller) is { } refusal)
        {
            return refusal;
        }
        var options = runtime.Engine.Options;
        var query = context.Request.Query;
        foreach (var (key, values) in query)
        {
            if (!ListParameters.Contains(key))
            {
                return Problem.BadRequest($"unknown query parameter '{EchoedText.Bound(key)}'; supported: {string.Join(", ", ListParameters.Order(StringComparer.Ordinal))}");
            }
            if (values.Count != 1)
            {
                return Problem.BadRequest($"query parameter '{key}' is given more than once");
            }
        }
        if (!TryInt(query["limit"], options.DefaultPageSize, 1, options.MaxPageSize, out var limit))
        {
            return Problem.BadRequest($"limit must be a whole number from 1 to {options.MaxPageSize}");
        }
        if (!TryInt(query["offset"], 0, 0, options.MaxOffset, out var offset))
        {
            return Problem.BadRequest($"offset must be a whole number from 0 to {options.MaxOffset}; page deeper with the cursor");
        }
        var count = query["count"].ToString();
        if (count.Length > 0 && count is not ("true" or "false"))
        {
            return Problem.BadRequest("count must be true or false");
        }
        var request = new ListRequest(limit)
        {
            Offset = offset,
            After = Text(query, "after"),
            Filter = Text(query, "filter"),
            Sort = Text(query, "sort"),
            Fields = Text(query, "fields"),
            Expand = Text(query, "expand"),
            Count = count == "true",
        };
        // The validator is taken before the query, so a write committed meanwhile can only make it older, never stale.
        // Without a trustworthy change counter (Redis configured but unreachable) there is none: no 304, no cache.
        var etag = await changes.ReadAsync() switch
        {
            { Known: false } => null,
            { Shared: { } shared } => RecordsEngine.ListETag(collection, request, caller, shared),
            _ => runtime.Engine.ListETag(collection, request, caller),
        };
        if (etag is not null && HttpPreconditions.MatchesWeak(context.Request.Headers.IfNoneMatch, etag))
        {
            context.Response.Headers.ETag = etag;
            context.Response.Headers.CacheControl = "private, no-cache";
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        var result = etag is null
            ? await runtime.Engine.ListAsync(collection, request, caller, context.RequestAborted)
            : await lists.GetOrListAsync(runtime.Engine.Collection(collection)!, etag,
                token => runtime.Engine.ListAsync(collection, request, caller, token), context.RequestAborted);
        if (result.Error is { } error)
        {
            return new Problem(error.Code == ProblemCodes.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest, error.Code, error.Message);
        }
        context.Response.Headers.CacheControl = "private, no-cache";
        if (etag is not null)
        {
            context.Response.Headers.ETag = etag;
        }
        return new ListResponse(result);
    }

    private static string? Text(IQueryCollection query, string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;

    public async Task<IResult> CreateAsync(string collection, HttpContext context)
    {
        if (Refuse(collection, context, out var caller) is { } refusal)
        {
            return refusal;
        }
        return await WriteAsync(context, caller, (body, entry) =>
            runtime.Engine.CreateAsync(collection, body, caller, entry, context.RequestAborted), collection, null);
    }

    public async Task<IResult> UpdateAsync(string collection, string id, HttpContext context)
    {
        if (Refuse(collection, context, out var caller) is { } refusal)
        {
            return refusal;
        }
        var preconditions = HttpPreconditions.ForWrite(context.Request.Headers);
        return await WriteAsync(context, caller, (body, entry) =>
            runtime.Engine.UpdateAsync(collection, id, body, preconditions, caller, entry, context.RequestAborted), collection, id);
    }

    public async Task<IResult> DeleteAsync(string collection, string id, HttpContext context)
    {
        if (Refuse(collection, context, out var caller) is { } refusal)
        {
            return refusal;
        }
        var preconditions = HttpPreconditions.ForWrite(context.Request.Headers);
        var result = await runtime.Engine.DeleteAsync(collection, id, preconditions, caller, context.RequestAborted);
        return result.Status == RecordStatus.Deleted ? Results.NoContent() : Problem.FromRecord(result, RecordNotFound(collection, id));
    }

    /// <summary>The check every record route starts with: a known collection (access is the rules' business).</summary>
    private Problem? Refuse(string collection, HttpContext context, out CallerContext caller)
    {
        caller = Callers.From(context, time);
        if (!runtime.Engine.HasCollection(collection))
        {
            return Problem.NotFound($"there is no collection '{EchoedText.Bound(collection)}'");
        }
        return null;
    }

    internal static string RecordNotFound(string collection, string id) => $"there is no record '{EchoedText.Bound(id)}' in {collection}";

    private async Task<IResult> WriteAsync(HttpContext context, CallerContext caller, Func<JsonElement, IdempotencyEntry?, Task<RecordResult>> write, string collection, string? id)
    {
        var limits = options.Value;
        var (document, raw, problem) = await JsonBody.ReadAsync(context.Request, limits.MaxBodyBytes, limits.MaxJsonDepth, context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        using var body = document!;
        return await gate.RunAsync(context, caller, raw, runtime.Engine,
            async entry => ToResponse(await write(body.RootElement, entry), collection, id),
            stored => new RecordResponse(StatusOf(stored.Status), System.Text.Encoding.UTF8.GetBytes(stored.Body), stored.Version,
                stored.Status == RecordStatus.Created ? Location(collection, stored.RecordId!) : null, replayed: true));
    }

    private static IResult ToResponse(RecordResult result, string collection, string? id) => result.Status switch
    {
        RecordStatus.Created => new RecordResponse(StatusCodes.Status201Created, result.Json, result.Version, Location(collection, result.Id!)),
        RecordStatus.Ok => new RecordResponse(StatusCodes.Status200OK, result.Json, result.Version),
        _ => Problem.FromRecord(result, RecordNotFound(collection, id ?? string.Empty)),
    };

    private static int StatusOf(RecordStatus status) => status == RecordStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;

    private static string Location(string collection, string id) => "/api/" + collection + "/" + id;

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues values, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (values.Count == 0)
        {
            return true;
        }
        return values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
