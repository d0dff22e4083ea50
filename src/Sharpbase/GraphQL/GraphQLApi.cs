using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Sharpbase.Caching;
using Sharpbase.Schema;

namespace Sharpbase.GraphQL;

/// <summary>The GraphQL schema generated for one <see cref="AppSchema"/>, with what each record type's fields read.</summary>
internal sealed class GraphQLApi(AppSchema source, ISchema schema, IReadOnlyDictionary<string, (CollectionDef Collection, IReadOnlyDictionary<string, RecordMember> Members)> recordTypes)
{
    private string? _sdl;

    /// <summary>The schema file this API was generated from (compared by reference to notice a reload).</summary>
    public AppSchema Source { get; } = source;

    public ISchema Schema { get; } = schema;

    /// <summary>Record types by GraphQL type name.</summary>
    public IReadOnlyDictionary<string, (CollectionDef Collection, IReadOnlyDictionary<string, RecordMember> Members)> RecordTypes { get; } = recordTypes;

    /// <summary>
    /// Documents that passed the limits and validation against this schema, by query text, so a
    /// repeated query is neither parsed nor validated again: at most 512 of them, from at most
    /// 256 K characters of query text (the parsed form takes a few times that).
    /// </summary>
    public LruCache<string, GraphQLDocument> Documents { get; } = new(512, 256 * 1024);

    /// <summary>The schema in SDL, printed once.</summary>
    public string Sdl => _sdl ??= Schema.Print(new global::GraphQL.Utilities.PrintOptions { IncludeDescriptions = true }) + "\n";
}
