namespace Sharpbase.OpenApi;

/// <summary>The API reference settings, from the configuration section <c>docs</c> (<c>SHARPBASE__DOCS__ENABLED</c>).</summary>
public sealed class DocsOptions
{
    /// <summary>
    /// Serve <c>/openapi.json</c>, <c>/openapi.yaml</c> and <c>/docs</c> (true); when false they answer a
    /// <c>404</c> problem. The GraphQL schema and explorer have their own <c>graphql</c> switches.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
