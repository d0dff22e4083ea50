using GraphQLParser.AST;

namespace Sharpbase.GraphQL;

/// <summary>
/// The limits every parsed document must meet before it is validated or run: aliases, depth and
/// the number of selected fields, counted with each fragment spread expanded where it is used (so a
/// fragment that spreads another twice at each level cannot multiply its way past the limit), and
/// no fragment that spreads itself. The walk stops as soon as a limit is passed.
/// </summary>
internal sealed class DocumentLimits
{
    // Introspection nests type references (ofType { ofType { … } }) deeper than data queries need.
    private const int MaxIntrospectionDepth = 15;

    private readonly GraphQLOptions _options;
    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = new(StringComparer.Ordinal);
    private int _fields;

    private DocumentLimits(GraphQLOptions options, GraphQLDocument document)
    {
        _options = options;
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            _fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        }
    }

    /// <summary>Why the document is refused, or null when it is within every limit.</summary>
    public static string? Check(GraphQLDocument document, GraphQLOptions options)
    {
        var aliases = 0;
        foreach (var definition in document.Definitions)
        {
            aliases += definition is GraphQLExecutableDefinition executable ? CountAliases(executable.SelectionSet) : 0;
        }
        if (aliases > options.MaxAliases)
        {
            return $"the document has {aliases} aliases; at most {options.MaxAliases} are allowed";
        }
        var limits = new DocumentLimits(options, document);
        foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            if (limits.Walk(operation.SelectionSet, 1, false, []) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private string? Walk(GraphQLSelectionSet? set, int depth, bool introspection, List<string> spreading)
    {
        foreach (var selection in set?.Selections ?? [])
        {
            string? error = null;
            switch (selection)
            {
                case GraphQLField field:
                    if (++_fields > _options.MaxFields)
                    {
                        return $"the operation selects more than {_options.MaxFields} fields";
                    }
                    var inside = introspection || field.Name.StringValue is "__schema" or "__type";
                    if (depth > (inside ? MaxIntrospectionDepth : _options.MaxDepth))
                    {
                        return $"the operation is nested deeper than {(inside ? MaxIntrospectionDepth : _options.MaxDepth)} levels";
                    }
                    error = Walk(field.SelectionSet, depth + 1, inside, spreading);
                    break;
                case GraphQLInlineFragment inline:
                    error = Walk(inline.SelectionSet, depth, introspection, spreading);
                    break;
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    if (spreading.Contains(name))
                    {
                        return $"fragment '{name}' spreads itself";
                    }
                    if (_fragments.TryGetValue(name, out var fragment))
                    {
                        spreading.Add(name);
                        error = Walk(fragment.SelectionSet, depth, introspection, spreading);
                        spreading.RemoveAt(spreading.Count - 1);
                    }
                    break;
            }
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static int CountAliases(GraphQLSelectionSet? set)
    {
        var count = 0;
        foreach (var selection in set?.Selections ?? [])
        {
            count += selection switch
            {
                GraphQLField field => (field.Alias is null ? 0 : 1) + CountAliases(field.SelectionSet),
                GraphQLInlineFragment inline => CountAliases(inline.SelectionSet),
                _ => 0,
            };
        }
        return count;
    }
}
