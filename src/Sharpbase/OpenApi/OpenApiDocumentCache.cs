using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Sharpbase.Auth;
using Sharpbase.Hosting;
using Sharpbase.Records;
using Sharpbase.Schema;

namespace Sharpbase.OpenApi;

/// <summary>
/// The served document, built once per schema: the runtime swaps its schema object when the schema
/// file changes, so the reference is the key, and a new schema means a new document (and ETag).
/// </summary>
internal sealed class OpenApiDocumentCache(IOptions<SharpbaseOptions> options, IOptions<AuthOptions> authOptions)
{
    private ServedDocument? _current;

    /// <summary>The document of <paramref name="schema"/>: the cached one while the schema object is the same.</summary>
    public ServedDocument Get(AppSchema schema, RecordsOptions records)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && ReferenceEquals(current.Schema, schema))
        {
            return current;
        }
        // Two requests racing on a new schema may both build it; they build the same bytes, and the last one stays.
        var built = Build(schema, records);
        Volatile.Write(ref _current, built);
        return built;
    }

    private ServedDocument Build(AppSchema schema, RecordsOptions records)
    {
        var settings = options.Value;
        var auth = authOptions.Value;
        var limits = new DocumentLimits(settings.MaxBodyBytes, records.DefaultPageSize, records.MaxPageSize, records.MaxOffset,
            records.MaxBatchSize, auth.Password.MinLength, auth.Password.MaxLength, (long)auth.Jwt.AccessTokenLifetime.TotalSeconds, settings.DevMode);
        var version = typeof(OpenApiDocumentCache).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var document = OpenApiDocumentBuilder.Build(schema, limits, version);
        var json = Serialize(document, new OpenApiJsonWriterSettings());
        var yaml = SerializeYaml(document);
        var hash = SHA256.HashData(json);
        return new ServedDocument(schema, json, yaml, "\"" + Convert.ToHexStringLower(hash.AsSpan(0, 16)) + "\"");
    }

    private static byte[] Serialize(OpenApiDocument document, OpenApiJsonWriterSettings settings)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text, settings));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] SerializeYaml(OpenApiDocument document)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiYamlWriter(text));
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
