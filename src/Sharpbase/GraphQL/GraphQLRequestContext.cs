using Sharpbase.Records;
using Sharpbase.Rules;

namespace Sharpbase.GraphQL;

/// <summary>What the resolvers of one request need: the generated API, the engine, the caller and the page sizes.</summary>
internal sealed class GraphQLRequestContext(GraphQLApi api, RecordsEngine engine, CallerContext caller) : Dictionary<string, object?>
{
    public GraphQLApi Api { get; } = api;

    public RecordsEngine Engine { get; } = engine;

    public CallerContext Caller { get; } = caller;
}
