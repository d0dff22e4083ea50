namespace Sharpbase.GraphQL;

/// <summary>
/// GraphQL settings, from the configuration section <c>graphql</c> (<c>SHARPBASE__GRAPHQL__MAXDEPTH</c>, …).
/// Every limit is checked on the parsed document before anything runs.
/// </summary>
public sealed class GraphQLOptions
{
    /// <summary>
    /// Answer introspection (<c>__schema</c>, <c>__type</c>) and serve the SDL at <c>/graphql/schema.graphql</c>;
    /// when unset, on in development mode and off in production.
    /// </summary>
    public bool? Introspection { get; set; }

    /// <summary>Keep the "did you mean" suggestions in error messages; when unset, on in development mode and off in production.</summary>
    public bool? Suggestions { get; set; }

    /// <summary>Serve the GraphiQL explorer page to browsers that ask for HTML (true).</summary>
    public bool Explorer { get; set; } = true;

    /// <summary>Largest query text, in bytes (32 KiB).</summary>
    public int MaxDocumentBytes { get; set; } = 32 * 1024;

    /// <summary>Deepest field nesting, counted through fragments (10).</summary>
    public int MaxDepth { get; set; } = 10;

    /// <summary>Most aliases in a document (30).</summary>
    public int MaxAliases { get; set; } = 30;

    /// <summary>Most fields selected in an operation, with every fragment spread counted where it is used (500).</summary>
    public int MaxFields { get; set; } = 500;

    /// <summary>Most operations in one batched request (10).</summary>
    public int MaxBatch { get; set; } = 10;
}
