using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using GraphQL;

namespace Sharpbase.GraphQL;

/// <summary>
/// The JSON contracts GraphQL.SystemTextJson asks for, without reflection (the native build has no
/// reflection-based serializer): GraphQLSerializer's own converters for results, errors and
/// variables, and generated contracts for the values Sharpbase's resolvers and errors hold.
/// </summary>
internal sealed class GraphQLJson : IJsonTypeInfoResolver
{
    public static readonly GraphQLJson Resolver = new();

    /// <summary>Sets the contracts on a GraphQLSerializer's options (its converters are already there).</summary>
    public static void Configure(JsonSerializerOptions options) => options.TypeInfoResolver = Resolver;

    // The types GraphQLSerializer has converters for and asks the options about.
    private static readonly Dictionary<Type, Func<JsonSerializerOptions, JsonTypeInfo>> ConvertedTypes = new()
    {
        [typeof(ExecutionResult)] = Converted<ExecutionResult>,
        // Written as an array of its errors, each by GraphQLSerializer's error converter.
        [typeof(ExecutionErrors)] = static options => JsonMetadataServices.CreateIEnumerableInfo<ExecutionErrors, ExecutionError>(options, new JsonCollectionInfoValues<ExecutionErrors>
        {
            ElementInfo = Converted<ExecutionError>(options),
        }),
        [typeof(ExecutionError)] = Converted<ExecutionError>,
        [typeof(Inputs)] = Converted<Inputs>,
        [typeof(List<ExecutionResult>)] = static options => JsonMetadataServices.CreateListInfo<List<ExecutionResult>, ExecutionResult>(options, new JsonCollectionInfoValues<List<ExecutionResult>>
        {
            ObjectCreator = static () => [],
            ElementInfo = Converted<ExecutionResult>(options),
        }),
    };

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
        ConvertedTypes.TryGetValue(type, out var create) ? create(options) : ((IJsonTypeInfoResolver)GraphQLValueJsonContext.Default).GetTypeInfo(type, options);

    private static JsonTypeInfo<T> Converted<T>(JsonSerializerOptions options)
    {
        foreach (var converter in options.Converters)
        {
            if (converter.CanConvert(typeof(T)))
            {
                var typed = converter is JsonConverterFactory factory ? factory.CreateConverter(typeof(T), options) : converter;
                return JsonMetadataServices.CreateValueInfo<T>(options, typed!);
            }
        }
        throw new InvalidOperationException($"GraphQLSerializer has no converter for {typeof(T).Name}");
    }
}

/// <summary>The leaf values of GraphQL results and error extensions, as Sharpbase produces them.</summary>
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<object>))]
[JsonSerializable(typeof(IEnumerable<object>))]
[JsonSerializable(typeof(object[]))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(IDictionary<string, object>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, List<string>>))]
internal sealed partial class GraphQLValueJsonContext : JsonSerializerContext;
