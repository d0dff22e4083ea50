using System.Text.Json;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Sharpbase.GraphQL;

/// <summary>The <c>JSON</c> scalar of <c>json</c> fields: any JSON value, in and out, kept as a <see cref="JsonElement"/>.</summary>
internal sealed class JsonScalar : ScalarGraphType
{
    public JsonScalar()
    {
        Name = "JSON";
        Description = "Any JSON value.";
    }

    public override object? ParseLiteral(GraphQLValue value) => value is GraphQLNullValue ? null : InputJson.ToElement(writer => InputJson.WriteLiteral(writer, value));

    public override object? ParseValue(object? value) => value is null ? null : InputJson.ToElement(writer => InputJson.WriteValue(writer, value));

    public override object? Serialize(object? value) => value;

    public override bool CanParseLiteral(GraphQLValue value) => value is not GraphQLVariable;

    public override bool CanParseValue(object? value) => true;
}
