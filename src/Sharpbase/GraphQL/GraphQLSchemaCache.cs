using Sharpbase.Schema;

namespace Sharpbase.GraphQL;

/// <summary>
/// The GraphQL API of the schema being served, generated on first use and again whenever the
/// runtime serves another schema object (a reloaded schema file).
/// </summary>
internal sealed class GraphQLSchemaCache(IServiceProvider services)
{
    private readonly Lock _lock = new();
    private GraphQLApi? _current;

    public GraphQLApi For(AppSchema schema)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && ReferenceEquals(current.Source, schema))
        {
            return current;
        }
        lock (_lock)
        {
            if (_current is null || !ReferenceEquals(_current.Source, schema))
            {
                Volatile.Write(ref _current, GraphQLSchemaBuilder.Build(schema, services));
            }
            return _current!;
        }
    }
}
