using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Sharpbase.Auth;

/// <summary>A small JSON object answer that carries a secret (a key, a TOTP secret, recovery codes), so it is never stored by a cache.</summary>
internal static class NoStoreJson
{
    public static IResult Result(HttpContext context, int status, Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(buffer.WrittenSpan, "application/json", status);
    }
}
