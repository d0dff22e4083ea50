using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Sharpbase.Errors;
using Sharpbase.Hosting;
using Sharpbase.Json;
using Sharpbase.Records;

namespace Sharpbase.Rest;

/// <summary><c>POST /api/batch</c>: several writes in one transaction, all or nothing.</summary>
internal static class BatchHandler
{
    public static async Task<IResult> HandleAsync(HttpContext context, SharpbaseRuntime runtime, TimeProvider time, IOptions<SharpbaseOptions> options, IdempotencyGate gate)
    {
        var caller = Callers.From(context, time);
        var engine = runtime.Engine;
        var settings = options.Value;
        var (document, raw, problem) = await JsonBody.ReadAsync(context.Request, settings.MaxBodyBytes, settings.MaxJsonDepth, context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        using var body = document!;
        var (operations, parseProblem) = Parse(body.RootElement, engine);
        if (parseProblem is not null)
        {
            return parseProblem;
        }
        return await gate.RunAsync(context, caller, raw, engine,
            async entry => Answer(context, operations, await engine.BatchAsync(operations, caller, entry, context.RequestAborted)),
            stored =>
            {
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return Json(context, System.Text.Encoding.UTF8.GetBytes(stored.Body));
            });
    }

    public static Problem MethodNotAllowed(HttpContext context) =>
        new(StatusCodes.Status405MethodNotAllowed, ProblemCodes.MethodNotAllowed, $"{context.Request.Method} is not allowed here; allowed: POST")
        {
            Headers = new Dictionary<string, string> { ["Allow"] = HttpMethods.Post },
        };

    private static IResult Answer(HttpContext context, List<BatchOperation> operations, BatchResult result)
    {
        if (result.Failure is not { } failure)
        {
            return Json(context, BatchResult.ToJson(result.Results));
        }
        if (result.FailedIndex < 0)
        {
            // Not one request's failure: the batch's Idempotency-Key was taken meanwhile.
            return Problem.FromRecord(failure, string.Empty);
        }
        var op = operations[result.FailedIndex];
        var detailed = Problem.FromRecord(failure, RecordHandlers.RecordNotFound(op.Collection, op.Id ?? string.Empty));
        return new Problem(detailed.Status, detailed.Code, $"request {result.FailedIndex} failed, so nothing was written: {detailed.Detail}")
        {
            Errors = detailed.Errors,
            Index = result.FailedIndex,
        };
    }

    private static IResult Json(HttpContext context, byte[] json)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(json, "application/json");
    }

    private static (List<BatchOperation> Operations, Problem? Problem) Parse(JsonElement root, RecordsEngine engine)
    {
        var operations = new List<BatchOperation>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array
            || root.EnumerateObject().Count() != 1)
        {
            return (operations, Problem.BadRequest("the body must be {\"requests\": [{\"method\": …, \"url\": …, \"body\": …}, …]}"));
        }
        var count = requests.GetArrayLength();
        if (count == 0 || count > engine.Options.MaxBatchSize)
        {
            return (operations, Problem.BadRequest($"a batch holds 1 to {engine.Options.MaxBatchSize} requests"));
        }
        var index = 0;
        foreach (var request in requests.EnumerateArray())
        {
            if (!TryParseOperation(request, engine, out var operation, out var error))
            {
                return (operations, new Problem(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest, $"request {index}: {error}") { Index = index });
            }
            operations.Add(operation!);
            index++;
        }
        return (operations, null);
    }

    private static bool TryParseOperation(JsonElement request, RecordsEngine engine, out BatchOperation? operation, out string? error)
    {
        operation = null;
        error = null;
        if (request.ValueKind != JsonValueKind.Object)
        {
            error = "must be an object with method, url and body";
            return false;
        }
        foreach (var property in request.EnumerateObject())
        {
            if (property.Name is not ("method" or "url" or "body"))
            {
                error = $"unknown member '{EchoedText.Bound(property.Name)}'; expected method, url, body";
                return false;
            }
        }
        var method = request.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
        var url = request.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : string.Empty;
        var hasBody = request.TryGetProperty("body", out var body);
        var segments = url.Split('/');
        // "/api/{collection}" → ["", "api", c]; "/api/{collection}/{id}" → ["", "api", c, id]
        if (segments.Length is < 3 or > 4 || segments[0].Length != 0 || segments[1] != "api" || !engine.HasCollection(segments[2]))
        {
            error = $"url '{EchoedText.Bound(url)}' is not /api/{{collection}} or /api/{{collection}}/{{id}} of an existing collection";
            return false;
        }
        var collection = segments[2];
        var id = segments.Length == 4 ? segments[3] : null;
        BatchAction? action = (method, id) switch
        {
            ("POST", null) => BatchAction.Create,
            ("PATCH", not null) => BatchAction.Update,
            ("DELETE", not null) => BatchAction.Delete,
            _ => null,
        };
        if (action is null)
        {
            error = "method must be POST on /api/{collection}, or PATCH or DELETE on /api/{collection}/{id}";
            return false;
        }
        if (action != BatchAction.Delete && !hasBody)
        {
            error = "body is required for " + method;
            return false;
        }
        if (action == BatchAction.Delete && hasBody)
        {
            error = "DELETE takes no body";
            return false;
        }
        operation = new BatchOperation(action.Value, collection, id, hasBody ? body.Clone() : default);
        return true;
    }
}
