using System.Text.Json;

namespace Sharpbase.Bench.Baseline;

/// <summary>
/// POST /graphql for the one query of the benchmark — 20 published posts, newest first, each with
/// its author and tags — written by hand: one statement builds every post's JSON (json_object and
/// json_group_array, as Sharpbase's GraphQL does), the endpoint writes the rows into the envelope.
/// </summary>
internal static class GraphQLEndpoint
{
    private const string Statement =
        "SELECT json_object('id', t.\"id\", 'title', t.\"title\", "
        + "'author', json((SELECT json_object('id', a.\"id\", 'name', a.\"name\") FROM \"users\" AS a WHERE a.\"id\" = t.\"author\")), "
        + "'tags', (SELECT json_group_array(json(j)) FROM (SELECT json_object('id', g.\"id\", 'name', g.\"name\") AS j "
        + "FROM \"_sb_rel__posts__tags\" AS r JOIN \"tags\" AS g ON g.\"id\" = r.target WHERE r.source = t.\"id\" ORDER BY r.position LIMIT @tags))) "
        + "FROM \"posts\" AS t WHERE (t.\"status\" = @status) ORDER BY t.\"published_at\" DESC NULLS LAST, t.\"id\" DESC NULLS LAST LIMIT @limit";

    public static void Map(WebApplication app, PostStore store) => app.MapPost("/graphql", (HttpContext context) => QueryAsync(context, store));

    private static async Task QueryAsync(HttpContext context, PostStore store)
    {
        // The request is read as a GraphQL server would (a JSON body with a query), though only one query is served.
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (!document.RootElement.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }
        catch (JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var buffer = PostStore.NewBuffer();
        await using (var connection = await store.OpenReaderAsync(context.RequestAborted))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Statement;
            command.Parameters.AddWithValue("@tags", 100L);
            command.Parameters.AddWithValue("@status", "published");
            command.Parameters.AddWithValue("@limit", 20L);
            await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
            await using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartObject();
            writer.WriteStartObject("data");
            writer.WriteStartObject("posts");
            writer.WriteStartArray("items");
            while (await reader.ReadAsync(context.RequestAborted))
            {
                writer.WriteRawValue(reader.GetString(0), skipInputValidation: true);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
