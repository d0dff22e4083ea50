using System.Collections.Concurrent;
using Sharpbase.Records.Nested;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Records;

/// <summary>
/// Everything the engine derives from one schema: its rules, record shapes, writer and lister.
/// Immutable once built, so a schema reload swaps one reference and a request that started on the
/// old schema finishes on it.
/// </summary>
internal sealed class EngineModel
{
    private const int MaxCachedShapes = 512;

    private readonly SqlDialect _dialect;
    private readonly Dictionary<string, RecordShape> _shapes;
    private readonly ConcurrentDictionary<(string Collection, string Fields), RecordShape> _partialShapes = new();

    public EngineModel(AppSchema schema, AccessRules rules, SqlDialect dialect, CursorCodec cursors)
    {
        Schema = schema;
        Rules = rules;
        _dialect = dialect;
        Writer = new RecordWriter(schema, dialect, rules);
        _shapes = schema.Collections.ToDictionary(c => c.Name, c => new RecordShape(c, dialect), StringComparer.Ordinal);
        Lister = new RecordLister(schema, dialect, cursors, rules, ShapeFor);
        Nested = new NestedReader(schema, dialect, cursors, rules);
    }

    public AppSchema Schema { get; }

    public AccessRules Rules { get; }

    public RecordWriter Writer { get; }

    public RecordLister Lister { get; }

    public NestedReader Nested { get; }

    public bool HasCollection(string name) => _shapes.ContainsKey(name);

    /// <summary>A collection by name, through the shapes' dictionary (the schema's list is searched one by one).</summary>
    public CollectionDef? Collection(string name) => _shapes.TryGetValue(name, out var shape) ? shape.Collection : null;

    /// <summary>The full shape of a collection.</summary>
    public RecordShape Shape(string collection) => _shapes[collection];

    // Shapes for a field selection are cached, but only so many: the selection is client text.
    public RecordShape ShapeFor(CollectionDef collection, IReadOnlySet<string>? fields)
    {
        if (fields is null)
        {
            return _shapes[collection.Name];
        }
        var key = (collection.Name, string.Join(",", fields.Order(StringComparer.Ordinal)));
        if (_partialShapes.TryGetValue(key, out var shape))
        {
            return shape;
        }
        shape = new RecordShape(collection, _dialect, fields);
        if (_partialShapes.Count < MaxCachedShapes)
        {
            _partialShapes.TryAdd(key, shape);
        }
        return shape;
    }
}
