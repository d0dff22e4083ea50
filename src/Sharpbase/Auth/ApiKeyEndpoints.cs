using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sharpbase.Errors;
using Sharpbase.Hosting;

namespace Sharpbase.Auth;

/// <summary>
/// API keys of the signed-in account, <c>/auth/api-keys</c>: create (the key is shown once), list
/// (never the key), revoke. Managed only with an access token: a leaked key cannot mint more keys.
/// </summary>
internal static class ApiKeyEndpoints
{
    private const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var keys = endpoints.MapGroup("/auth/api-keys").WithTags("auth");
        keys.MapPost("", CreateAsync).WithName("api-key-create").WithSummary("Create an API key; the key is in this answer only");
        keys.MapGet("", ListAsync).WithName("api-key-list").WithSummary("List the account's API keys (never the keys themselves)");
        keys.MapDelete("/{id}", RevokeAsync).WithName("api-key-revoke").WithSummary("Revoke an API key; it stops working at once");
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        if (SignedInCaller.Require(context, out var claims) is { } refusal)
        {
            return refusal;
        }
        var (body, problem) = await AuthBody.ReadAsync(context, ["name"]);
        if (problem is not null)
        {
            return problem;
        }
        string? name;
        var errors = new Dictionary<string, List<string>>();
        using (body)
        {
            name = body!.String("name", errors)?.Trim();
        }
        if (errors.Count == 0 && (name is not { Length: > 0 and <= MaxNameLength } || name.Any(char.IsControl)))
        {
            errors["name"] = [$"must be 1 to {MaxNameLength} characters, without control characters"];
        }
        if (errors.Count > 0)
        {
            return AuthBody.Invalid(errors);
        }
        if (await runtime.Auth.ApiKeys.CreateAsync(claims.Kind, claims.Subject, name!, context.RequestAborted) is not var (record, key))
        {
            return new Problem(StatusCodes.Status409Conflict, ProblemCodes.Conflict, $"an account holds at most {ApiKeyStore.MaxLiveKeys} live API keys; revoke one first");
        }
        return NoStoreJson.Result(context, StatusCodes.Status201Created, writer =>
        {
            Write(writer, record, withLastUsed: false);
            writer.WriteString("key", key);
        });
    }

    private static async Task<IResult> ListAsync(HttpContext context, SharpbaseRuntime runtime)
    {
        if (SignedInCaller.Require(context, out var claims) is { } refusal)
        {
            return refusal;
        }
        var keys = await runtime.Auth.ApiKeys.ListAsync(claims.Kind, claims.Subject, context.RequestAborted);
        return NoStoreJson.Result(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartArray("items");
            foreach (var record in keys)
            {
                writer.WriteStartObject();
                Write(writer, record, withLastUsed: true);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, SharpbaseRuntime runtime)
    {
        if (SignedInCaller.Require(context, out var claims) is { } refusal)
        {
            return refusal;
        }
        // Another account's key is "not found", not "forbidden": ids of others' keys are not confirmed.
        var revoked = await runtime.Auth.ApiKeys.RevokeAsync(id, claims.Kind, claims.Subject, anyOwner: claims.Kind == AccountKind.Superuser, context.RequestAborted);
        return revoked ? Results.NoContent() : Problem.NotFound("there is no API key with this id");
    }

    private static void Write(Utf8JsonWriter writer, ApiKeyRecord record, bool withLastUsed)
    {
        writer.WriteString("id", record.Id);
        writer.WriteString("name", record.Name);
        writer.WriteString("prefix", record.Prefix);
        writer.WriteString("created_at", record.CreatedAt);
        if (withLastUsed)
        {
            if (record.LastUsedAt is { } lastUsed)
            {
                writer.WriteString("last_used_at", lastUsed);
            }
            else
            {
                writer.WriteNull("last_used_at");
            }
        }
    }
}
