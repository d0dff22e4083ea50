using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Sharpbase.Errors;

namespace Sharpbase.Json;

/// <summary>
/// Reads a request body as strict JSON: the right media type, a bounded size, valid UTF-8, no
/// duplicate keys, no trailing data, bounded depth. Anything else is a problem, not an exception.
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonDocument? Document, byte[] Raw, Problem? Problem)> ReadAsync(HttpRequest request, long maxBytes, int maxDepth, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, [], new Problem(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType,
                "the request body must be JSON: send Content-Type: application/json"));
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, [], TooLarge(maxBytes));
        }
        var raw = await ReadBoundedAsync(request.BodyReader, maxBytes, cancellationToken);
        if (raw is null)
        {
            return (null, [], TooLarge(maxBytes));
        }
        if (raw.Length == 0)
        {
            return (null, raw, new Problem(StatusCodes.Status400BadRequest, ProblemCodes.MalformedJson, "the request body is empty; a JSON object is required"));
        }
        if (FindInvalidUtf8(raw) is { } offset)
        {
            return (null, raw, new Problem(StatusCodes.Status400BadRequest, ProblemCodes.MalformedJson,
                $"the request body is not valid JSON at {Position(raw, offset)}: it is not valid UTF-8."));
        }
        try
        {
            // First, as the duplicate-key check of the parser throws on such a name.
            if (FindLoneSurrogate(raw, maxDepth) is { } escape)
            {
                return (null, raw, new Problem(StatusCodes.Status400BadRequest, ProblemCodes.MalformedJson,
                    $"the request body is not valid JSON at {Position(raw, escape)}: a \\u escape is an unpaired surrogate."));
            }
            var document = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
            return (document, raw, null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : string.Empty;
            return (null, raw, new Problem(StatusCodes.Status400BadRequest, ProblemCodes.MalformedJson, $"the request body is not valid JSON{where}: {Reason(e.Message)}"));
        }
    }

    // The parser checks the structure but not the text: raw bytes that are not UTF-8 (overlong forms,
    // encoded surrogates, stray continuation bytes) and escapes of lone surrogates pass it, and would
    // only fail later, when a handler reads the string, as a 500.
    private static int? FindInvalidUtf8(byte[] raw)
    {
        if (Utf8.IsValid(raw))
        {
            return null;
        }
        var offset = 0;
        while (Rune.DecodeFromUtf8(raw.AsSpan(offset), out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }
        return offset;
    }

    private static long? FindLoneSurrogate(byte[] raw, int maxDepth)
    {
        var reader = new Utf8JsonReader(raw, new JsonReaderOptions { MaxDepth = maxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    // Depending on the token, a lone surrogate throws here or comes back inside the string.
                    if (!IsWellFormed(reader.GetString()!))
                    {
                        return reader.TokenStartIndex;
                    }
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenStartIndex;
                }
            }
        }
        return null;
    }

    private static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var consumed) != OperationStatus.Done)
            {
                return false;
            }
            text = text[consumed..];
        }
        return true;
    }

    // "line L, column C", both from 1, the column in bytes as the parser reports it.
    private static string Position(byte[] raw, long offset)
    {
        var before = raw.AsSpan(0, (int)offset);
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return $"line {before.Count((byte)'\n') + 1}, column {before.Length - lineStart + 1}";
    }

    private static Problem TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, $"the request body is larger than {maxBytes} bytes");

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }
        var type = media.MediaType.Value;
        var json = string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase)
            || (type?.StartsWith("application/", StringComparison.OrdinalIgnoreCase) == true && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        return json && (media.Charset.Length == 0 || string.Equals(media.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase));
    }

    // The parser's own explanation, cut before its position suffix (which is reported separately).
    private static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        var end = new[] { cut, path }.Where(i => i >= 0).DefaultIfEmpty(message.Length).Min();
        return message[..end].TrimEnd(' ', '|', '.') + ".";
    }

    private static async Task<byte[]?> ReadBoundedAsync(PipeReader reader, long maxBytes, CancellationToken cancellationToken)
    {
        // Kestrel's body reader stays "reading" after a read cancelled by its token, so it could not
        // drain the rest after a request timeout; cancelling the pending read leaves it usable.
        using var registration = cancellationToken.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), reader);
        while (true)
        {
            var read = await reader.ReadAsync(CancellationToken.None);
            var buffer = read.Buffer;
            if (read.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }
            if (read.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
