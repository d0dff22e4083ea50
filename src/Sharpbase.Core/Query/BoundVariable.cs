using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>A variable, supplied at compile time from <see cref="QueryVariables"/>.</summary>
/// <param name="Kind">Which variable.</param>
/// <param name="Name">The member name for <see cref="VariableKind.AuthField"/> and <see cref="VariableKind.Body"/>.</param>
/// <param name="BodyField">The field of the collection a <c>@body</c> variable holds.</param>
public sealed record BoundVariable(VariableKind Kind, string? Name, FieldDef? BodyField) : BoundOperand;
