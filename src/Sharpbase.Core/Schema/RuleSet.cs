namespace Sharpbase.Schema;

/// <summary>The access rules of a collection: null means superusers only, <c>"true"</c> anyone.</summary>
public sealed record RuleSet(string? List = null, string? View = null, string? Create = null, string? Update = null, string? Delete = null);
