namespace Sharpbase.Schema;

/// <summary>A loaded, validated schema file: the collections and the <c>settings</c> section.</summary>
public sealed record AppSchema(string SourcePath, IReadOnlyList<CollectionDef> Collections)
{
    /// <summary>
    /// The <c>settings</c> section flattened into configuration keys (<c>cors:origins:0</c>), so that it
    /// layers under environment variables like any other configuration source.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Finds a collection by name.</summary>
    public CollectionDef? FindCollection(string name)
    {
        foreach (var collection in Collections)
        {
            if (collection.Name == name)
            {
                return collection;
            }
        }
        return null;
    }
}
