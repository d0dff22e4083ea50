using System.Text.Json;

namespace Sharpbase.Records;

/// <summary>A validated body: column values in field order, and the ids of each multiple relation.</summary>
internal sealed class RecordInput
{
    /// <summary>The id a client supplied on create, if any.</summary>
    public string? Id { get; set; }

    /// <summary>Values of single-valued fields, keyed by field name, in declaration order.</summary>
    public List<KeyValuePair<string, object?>> Columns { get; } = [];

    /// <summary>Ids for each multiple relation that the body sets.</summary>
    public Dictionary<string, List<string>> Relations { get; } = new(StringComparer.Ordinal);

    /// <summary>PATCH values of json fields, merged into the stored value (RFC 7396) inside the write.</summary>
    public Dictionary<string, JsonElement> JsonPatches { get; } = new(StringComparer.Ordinal);

    /// <summary>The incoming values as <c>@body</c> sees them (stored form; id lists for to-many relations).</summary>
    public IReadOnlyDictionary<string, object?> AsBody()
    {
        var body = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in Columns)
        {
            body[name] = value;
        }
        foreach (var (name, ids) in Relations)
        {
            body[name] = ids;
        }
        return body;
    }
}
