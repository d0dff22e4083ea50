namespace Sharpbase.Schema;

/// <summary>A field's default: a literal (kept as compact JSON text), <c>@now</c> or <c>@auth.id</c>.</summary>
public sealed record FieldDefault(DefaultKind Kind, string? LiteralJson = null);
