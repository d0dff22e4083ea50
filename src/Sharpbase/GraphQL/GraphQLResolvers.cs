using System.Text.Json;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using Sharpbase.Errors;
using Sharpbase.Records;
using Sharpbase.Records.Nested;

namespace Sharpbase.GraphQL;

/// <summary>
/// Root fields run one engine call each (a read is one SQL statement, however deep); every other
/// field only reads the JSON the database built, by response key.
/// </summary>
internal static class GraphQLResolvers
{
    public static IFieldResolver Page(string collection) => new FuncFieldResolver<object>(async context =>
    {
        var request = Request(context);
        var collector = Collector(context);
        var (items, count) = collector.Connection(TypeOf(request, collection), context.FieldAst.SelectionSet);
        var page = new NestedPage(collector.Limit(Argument(context, "limit")), items)
        {
            Filter = Argument(context, "filter") as string,
            Sort = Argument(context, "sort") as string,
            After = Argument(context, "after") as string,
            Count = count,
        };
        return Element(request, await request.Engine.ListNestedAsync(collection, page, request.Caller, context.CancellationToken));
    });

    public static IFieldResolver One(string collection) => new FuncFieldResolver<object>(async context =>
    {
        var request = Request(context);
        var selection = Collector(context).Record(TypeOf(request, collection), [context.FieldAst.SelectionSet]);
        var id = (string)Argument(context, "id")!;
        return Element(request, await request.Engine.ReadNestedAsync(collection, id, selection, request.Caller, context.CancellationToken));
    });

    public static IFieldResolver Create(string collection) => new FuncFieldResolver<object>(async context =>
    {
        var request = Request(context);
        var result = await request.Engine.CreateAsync(collection, Body(context), request.Caller, null, context.CancellationToken);
        return await WrittenAsync(context, request, collection, result, string.Empty);
    });

    public static IFieldResolver Update(string collection) => new FuncFieldResolver<object>(async context =>
    {
        var request = Request(context);
        var id = (string)Argument(context, "id")!;
        var result = await request.Engine.UpdateAsync(collection, id, Body(context), null, request.Caller, null, context.CancellationToken);
        return await WrittenAsync(context, request, collection, result, id);
    });

    public static IFieldResolver Delete(string collection) => new FuncFieldResolver<object>(async context =>
    {
        var request = Request(context);
        var id = (string)Argument(context, "id")!;
        var result = await request.Engine.DeleteAsync(collection, id, null, request.Caller, context.CancellationToken);
        return result.Status == RecordStatus.Deleted ? id : throw Refused(result, collection, id);
    });

    /// <summary>A field of a connection, written by the engine under its own name.</summary>
    public static IFieldResolver PageMember(string name) => new FuncFieldResolver<object>(context =>
        ((JsonElement)context.Source!).TryGetProperty(name, out var value) ? Value(value, context.FieldDefinition.ResolvedType) : null);

    /// <summary>A field of a record, written by the database under its response key.</summary>
    public static readonly IFieldResolver Member = new FuncFieldResolver<object>(context =>
    {
        var key = (context.FieldAst.Alias?.Name ?? context.FieldAst.Name).StringValue;
        return ((JsonElement)context.Source!).TryGetProperty(key, out var value) ? Value(value, context.FieldDefinition.ResolvedType) : null;
    });

    private static object? Value(JsonElement value, IGraphType? type)
    {
        while (type is NonNullGraphType nonNull)
        {
            type = nonNull.ResolvedType;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ when type is JsonScalar => value,
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetInt64(out var whole) ? (object)whole : value.GetDouble(),
            JsonValueKind.Array => Items(value, (type as ListGraphType)?.ResolvedType),
            _ => value,
        };
    }

    // Its own method: a lambda over the item type here would allocate its closure on every call of Value.
    private static List<object?> Items(JsonElement array, IGraphType? itemType)
    {
        var items = new List<object?>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.Object ? item : Value(item, itemType));
        }
        return items;
    }

    private static async Task<object?> WrittenAsync(IResolveFieldContext context, GraphQLRequestContext request, string collection, RecordResult result, string id)
    {
        if (!result.Succeeded)
        {
            throw Refused(result, collection, id);
        }
        var selection = Collector(context).Record(TypeOf(request, collection), [context.FieldAst.SelectionSet]);
        return Element(request, await request.Engine.ReadWrittenAsync(collection, result.Id!, selection, request.Caller, context.CancellationToken));
    }

    // The same codes, messages and field errors as the REST problem for the same outcome.
    private static RecordError Refused(RecordResult result, string collection, string id)
    {
        var problem = Problem.FromRecord(result, $"there is no record '{EchoedText.Bound(id)}' in {collection}");
        return new RecordError(problem.Code, problem.Detail, problem.Errors);
    }

    private static JsonElement Body(IResolveFieldContext context) => InputJson.ToElement(writer => InputJson.WriteValue(writer, Argument(context, "data")));

    private static object? Argument(IResolveFieldContext context, string name) =>
        context.Arguments is not null && context.Arguments.TryGetValue(name, out var value) ? value.Value : null;

    // The fields below read the parsed JSON until the response is written; the request keeps the document till then.
    private static JsonElement? Element(GraphQLRequestContext request, NestedResult result)
    {
        if (result.Error is { } error)
        {
            throw new RecordError(error.Code, error.Message);
        }
        if (result.IsEmpty)
        {
            return null;
        }
        return request.Keep(JsonDocument.Parse(result.Json));
    }

    private static GraphQLRequestContext Request(IResolveFieldContext context) => (GraphQLRequestContext)context.UserContext;

    private static SelectionCollector Collector(IResolveFieldContext context)
    {
        var request = Request(context);
        return new SelectionCollector(request.Api, context.Document, context.Variables, request.Engine.Options);
    }

    private static string TypeOf(GraphQLRequestContext request, string collection) =>
        request.Api.RecordTypes.First(t => t.Value.Collection.Name == collection).Key;
}
