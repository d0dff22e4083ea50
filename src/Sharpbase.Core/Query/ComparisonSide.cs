using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>A bound operand with what the type checker needs to know and say about it.</summary>
internal sealed record ComparisonSide(BoundOperand Bound, OperandType Type, TextPosition Position, string Description)
{
    public static ComparisonSide Create(BoundOperand bound, Operand source) =>
        new(bound, TypeOf(bound), source.Position, Describe(bound, source));

    public bool IsField => Bound is BoundField;

    /// <summary>A field that follows a relation or is a multiple relation: compiled as a subquery.</summary>
    public bool IsSubquery => Bound is BoundField bound && (bound.Hops.Count > 0 || bound.Field.IsMultipleRelation);

    public static OperandType TypeOf(FieldDef field) => field.Type switch
    {
        FieldType.Integer or FieldType.Number => OperandType.Number,
        FieldType.Boolean => OperandType.Boolean,
        FieldType.DateTime => OperandType.DateTime,
        FieldType.Date => OperandType.Date,
        FieldType.Json => OperandType.Json,
        FieldType.Relation => OperandType.Relation,
        _ => OperandType.Text,
    };

    public static OperandType TypeOf(object? literal) => literal switch
    {
        null => OperandType.Null,
        string => OperandType.Text,
        bool => OperandType.Boolean,
        _ => OperandType.Number,
    };

    public static string Describe(object? literal) => literal switch
    {
        null => "null",
        string => "a string",
        bool => "a boolean",
        _ => "a number",
    };

    private static OperandType TypeOf(BoundOperand bound) => bound switch
    {
        BoundField field => TypeOf(field.Field),
        BoundLiteral literal => TypeOf(literal.Value),
        BoundVariable { Kind: VariableKind.AuthId } => OperandType.Text,
        BoundVariable { Kind: VariableKind.AuthRoles } => OperandType.TextList,
        BoundVariable { Kind: VariableKind.Now } => OperandType.DateTime,
        BoundVariable { Kind: VariableKind.Body, BodyField: { } field } => field.IsMultipleRelation ? OperandType.TextList : TypeOf(field),
        _ => OperandType.Any,
    };

    private static string Describe(BoundOperand bound, Operand source) => (bound, source) switch
    {
        (BoundField field, _) => $"{TypeName(field.Field)} field '{field.Path}'",
        (BoundLiteral literal, _) => Describe(literal.Value),
        (_, VariableOperand variable) => $"'{variable.Text}'",
        _ => "a value",
    };

    private static string TypeName(FieldDef field) => field.IsMultipleRelation ? "multiple relation" : FieldTypeNames.Name(field.Type);
}
