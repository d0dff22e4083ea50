using System.Text.Json;
using Sharpbase.Records;
using Sharpbase.Rules;

namespace Sharpbase.GraphQL;

/// <summary>
/// What the resolvers of one request need: the generated API, the engine, the caller, and where to
/// keep the JSON documents they read from until the response has been written.
/// </summary>
internal sealed class GraphQLRequestContext(GraphQLApi api, RecordsEngine engine, CallerContext caller, Action<IDisposable> disposeAfterResponse) : Dictionary<string, object?>
{
    public GraphQLApi Api { get; } = api;

    public RecordsEngine Engine { get; } = engine;

    public CallerContext Caller { get; } = caller;

    /// <summary>The root of <paramref name="document"/>, which stays alive (its pooled buffers rented) until the response is written.</summary>
    public JsonElement Keep(JsonDocument document)
    {
        disposeAfterResponse(document);
        return document.RootElement;
    }
}
