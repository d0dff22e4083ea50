using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sharpbase.Tests.Process;

/// <summary>One span as exported: ids in hex, the instrumentation scope it came from, and its string attributes.</summary>
internal sealed record ReceivedSpan(string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, long Kind, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A small OTLP/HTTP collector on loopback: accepts protobuf at <c>/v1/traces</c> (and ignores
/// <c>/v1/metrics</c>), decoding ExportTraceServiceRequest with a minimal protobuf reader.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<byte[]> _bodies = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint => new(_app.Urls.First());

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    /// <summary>How many export requests arrived.</summary>
    public int Requests => _bodies.Count;

    /// <summary>Every request body received, raw, to search for values that must not be exported.</summary>
    public string RawText => string.Join("\n", _bodies.Select(b => Encoding.UTF8.GetString(b)));

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            receiver._bodies.Enqueue(buffer.ToArray());
            foreach (var span in ReadTraces(buffer.ToArray()))
            {
                receiver._spans.Enqueue(span);
            }
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ExportTraceServiceRequest { 1: ResourceSpans { 2: ScopeSpans { 1: Scope { 1: name }, 2: Span } } }
    private static IEnumerable<ReceivedSpan> ReadTraces(byte[] request)
    {
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
            {
                var fields = Fields(scopeSpans.Bytes).ToList();
                var scope = fields.Where(f => f.Number == 1).Select(f => Text(Fields(f.Bytes).FirstOrDefault(n => n.Number == 1).Bytes)).FirstOrDefault() ?? string.Empty;
                foreach (var span in fields.Where(f => f.Number == 2))
                {
                    yield return ReadSpan(scope, span.Bytes);
                }
            }
        }
    }

    // Span { 1: trace_id, 2: span_id, 4: parent_span_id, 5: name, 6: kind, 9: KeyValue { 1: key, 2: AnyValue { 1: string_value } } }
    private static ReceivedSpan ReadSpan(string scope, byte[] span)
    {
        var fields = Fields(span).ToList();
        byte[] Of(int number) => fields.FirstOrDefault(f => f.Number == number).Bytes ?? [];
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in fields.Where(f => f.Number == 9))
        {
            var pair = Fields(attribute.Bytes).ToList();
            var key = Text(pair.FirstOrDefault(f => f.Number == 1).Bytes);
            var value = pair.Where(f => f.Number == 2).SelectMany(f => Fields(f.Bytes)).FirstOrDefault(f => f.Number == 1).Bytes;
            if (value is not null)
            {
                attributes[key] = Text(value);
            }
        }
        return new ReceivedSpan(scope, Convert.ToHexStringLower(Of(1)), Convert.ToHexStringLower(Of(2)), Convert.ToHexStringLower(Of(4)), Text(Of(5)),
            fields.FirstOrDefault(f => f.Number == 6).Varint, attributes);
    }

    private static string Text(byte[]? bytes) => bytes is null ? string.Empty : Encoding.UTF8.GetString(bytes);

    /// <summary>The fields of one protobuf message: length-delimited ones with their bytes, varints with their value.</summary>
    private static IEnumerable<(int Number, byte[] Bytes, long Varint)> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return (number, null!, (long)ReadVarint(message, ref position));
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    yield return (number, message[position..(position + length)], 0);
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"unsupported wire type {tag & 7}");
            }
        }
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
