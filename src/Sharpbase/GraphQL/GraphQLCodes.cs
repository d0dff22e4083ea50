namespace Sharpbase.GraphQL;

/// <summary>The <c>extensions.code</c> values of GraphQL errors that have no REST counterpart.</summary>
public static class GraphQLCodes
{
    /// <summary>422: the document passes a limit (depth, aliases, fields) or a fragment spreads itself.</summary>
    public const string LimitExceeded = "limit_exceeded";
}
