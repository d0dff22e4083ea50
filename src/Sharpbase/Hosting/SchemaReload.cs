namespace Sharpbase.Hosting;

/// <summary>The outcome of reloading the schema file: applied, or refused with the reason.</summary>
public sealed record SchemaReload(bool Applied, string? Reason)
{
    /// <summary>The new schema is served.</summary>
    public static SchemaReload Done { get; } = new(true, null);

    /// <summary>The previous schema is still served, for <paramref name="reason"/>.</summary>
    public static SchemaReload Refused(string reason) => new(false, reason);
}
