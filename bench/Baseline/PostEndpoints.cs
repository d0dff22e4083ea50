using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Sharpbase.Bench.Baseline;

/// <summary>
/// GET /posts/{id}, GET /posts?limit=&amp;sort=-published_at or ?limit=&amp;views=N, POST /posts: the
/// statements Sharpbase runs for the same requests, written by hand.
/// </summary>
internal static class PostEndpoints
{
    // What the rule 'status = "published" || author = @auth.id' means for this caller, written by hand.
    private static string Visible(string? caller) => caller is null ? "(t.\"status\" = @status)" : "(t.\"status\" = @status OR t.\"author\" = @caller)";

    public static void Map(WebApplication app, PostStore store, TokenCheck tokens)
    {
        app.MapGet("/posts/{id}", (string id, HttpContext context) => GetAsync(id, context, store, tokens));
        app.MapGet("/posts", (HttpContext context) => ListAsync(context, store, tokens));
        app.MapPost("/posts", (HttpContext context) => CreateAsync(context, store, tokens));
    }

    private static async Task GetAsync(string id, HttpContext context, PostStore store, TokenCheck tokens)
    {
        var (valid, caller) = await tokens.CallerAsync(context.Request);
        if (!valid)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var buffer = PostStore.NewBuffer();
        long version;
        await using (var connection = await store.OpenReaderAsync(context.RequestAborted))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {PostStore.Columns} FROM \"posts\" AS t WHERE t.id = @id AND {Visible(caller)}";
            command.Parameters.AddWithValue("@id", id);
            AddVisibility(command, caller);
            await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
            if (!await reader.ReadAsync(context.RequestAborted))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            version = reader.GetInt64(3);
            await using var writer = new Utf8JsonWriter(buffer);
            PostStore.WriteRow(reader, writer);
        }
        var etag = "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";
        await RespondAsync(context, buffer, etag);
    }

    private static async Task ListAsync(HttpContext context, PostStore store, TokenCheck tokens)
    {
        var (valid, caller) = await tokens.CallerAsync(context.Request);
        if (!valid)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= 200 ? l : 20;
        var byViews = int.TryParse(query["views"], NumberStyles.None, CultureInfo.InvariantCulture, out var views);
        var sorted = query["sort"] == "-published_at";
        var sql = new StringBuilder("SELECT ").Append(PostStore.Columns);
        sql.Append(sorted ? ", t.\"published_at\", t.\"id\"" : ", t.\"id\"").Append(" FROM \"posts\" AS t WHERE ").Append(Visible(caller));
        if (byViews)
        {
            sql.Append(" AND (t.\"views\" = @views)");
        }
        sql.Append(sorted ? " ORDER BY t.\"published_at\" DESC NULLS LAST, t.\"id\" DESC NULLS LAST" : " ORDER BY t.\"id\" ASC NULLS FIRST");
        sql.Append(" LIMIT @limit OFFSET 0");
        var buffer = PostStore.NewBuffer();
        await using (var connection = await store.OpenReaderAsync(context.RequestAborted))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql.ToString();
            AddVisibility(command, caller);
            if (byViews)
            {
                command.Parameters.AddWithValue("@views", (long)views);
            }
            command.Parameters.AddWithValue("@limit", (long)limit + 1);
            await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
            await using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            var count = 0;
            string? cursor = null;
            while (await reader.ReadAsync(context.RequestAborted))
            {
                if (count == limit)
                {
                    cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(sorted ? new string?[] { Nullable(reader, 11), reader.GetString(12) } : new string?[] { reader.GetString(11) }, BaselineJson.Default.StringArray)));
                    break;
                }
                PostStore.WriteRow(reader, writer);
                count++;
            }
            writer.WriteEndArray();
            writer.WriteString("next_cursor", cursor);
            writer.WriteEndObject();
        }
        // A hand-written list has no change counter: its validator is a hash of the page.
        var etag = "W/\"" + Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan).AsSpan(0, 12)) + "\"";
        await RespondAsync(context, buffer, etag);
    }

    private static async Task CreateAsync(HttpContext context, PostStore store, TokenCheck tokens)
    {
        var (valid, caller) = await tokens.CallerAsync(context.Request);
        if (!valid || caller is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        NewPost post;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (!NewPost.TryRead(document.RootElement, out post))
            {
                context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return;
            }
        }
        catch (JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var id = Guid.CreateVersion7().ToString("D");
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        await store.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO \"posts\" (id, created_at, updated_at, version, \"title\", \"body\", \"status\", \"author\", \"views\", \"published_at\") "
                + "VALUES (@id, @now, @now, 1, @title, @body, @status, @author, @views, @published)";
            command.Parameters.AddWithValue("@id", id);
            command.Parameters.AddWithValue("@now", now);
            command.Parameters.AddWithValue("@title", post.Title);
            command.Parameters.AddWithValue("@body", (object?)post.Body ?? DBNull.Value);
            command.Parameters.AddWithValue("@status", post.Status);
            command.Parameters.AddWithValue("@author", caller);
            command.Parameters.AddWithValue("@views", post.Views);
            command.Parameters.AddWithValue("@published", (object?)post.PublishedAt ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(context.RequestAborted);
        }, context.RequestAborted);
        var buffer = PostStore.NewBuffer();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("created_at", now);
            writer.WriteString("updated_at", now);
            writer.WriteNumber("version", 1);
            writer.WriteString("title", post.Title);
            writer.WriteString("body", post.Body);
            writer.WriteString("status", post.Status);
            writer.WriteString("author", caller);
            writer.WriteStartArray("tags");
            writer.WriteEndArray();
            writer.WriteNumber("views", post.Views);
            writer.WriteString("published_at", post.PublishedAt);
            writer.WriteEndObject();
        }
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = "/posts/" + id;
        await RespondAsync(context, buffer, "\"1\"");
    }

    internal static async Task RespondAsync(HttpContext context, ArrayBufferWriter<byte> buffer, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "private, no-cache";
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && (ifNoneMatch == etag || "W/" + ifNoneMatch == etag || ifNoneMatch == "W/" + etag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static void AddVisibility(SqliteCommand command, string? caller)
    {
        command.Parameters.AddWithValue("@status", "published");
        if (caller is not null)
        {
            command.Parameters.AddWithValue("@caller", caller);
        }
    }

    private static string? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
