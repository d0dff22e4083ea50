using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Sharpbase.Auth;
using Sharpbase.Errors;
using Sharpbase.Hosting;
using Sharpbase.Observability;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Admin;

/// <summary><c>/admin/*</c>, for superusers only: <c>GET /admin/advisor</c> reports what makes the API slow or unsafe.</summary>
public static class AdminEndpoints
{
    /// <summary>Maps the admin routes.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var admin = endpoints.MapGroup("/admin").WithTags("admin");
        // An operator's tool, not part of the application API that /openapi.json describes to client generators.
        admin.MapGet("/advisor", AdvisorAsync).WithName("advisor").WithSummary("Findings about the schema, configuration, database and traffic, each with its fix (superusers only)")
            .ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> AdvisorAsync(HttpContext context, SharpbaseRuntime runtime, IConfiguration configuration, IOptions<SharpbaseOptions> options,
        ListTraffic traffic)
    {
        var caller = context.Features.Get<CallerFeature>();
        if (caller is null)
        {
            return new Problem(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "sign in as a superuser first: send Authorization: Bearer <access token>")
            {
                Headers = new Dictionary<string, string> { [HeaderNames.WWWAuthenticate] = "Bearer" },
            };
        }
        if (!caller.Caller.IsSuperuser)
        {
            return new Problem(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "the advisor is for superusers only");
        }
        var database = runtime.Database;
        var input = new AdvisorInput(runtime.Engine.Schema, configuration, options.Value.DevMode, options.Value.DataDirectory)
        {
            OpenReader = database.OpenSessionAsync,
            WriterSynchronous = database is not SqliteDatabase ? null : cancellationToken => database.WriteAsync(async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "PRAGMA synchronous";
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            }, cancellationToken),
            Shapes = runtime.Queries.Snapshot(),
            AnonymousCountLists = traffic.AnonymousCounts(),
        };
        var findings = await Advisor.RunAsync(input, context.RequestAborted);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            FindingsJson.Write(writer, findings);
            writer.WriteEndObject();
        }
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(buffer.WrittenSpan, "application/json");
    }
}
