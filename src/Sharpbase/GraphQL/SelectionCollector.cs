using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using Sharpbase.Errors;
using Sharpbase.Records;
using Sharpbase.Records.Nested;

namespace Sharpbase.GraphQL;

/// <summary>
/// Turns the selection set under a root field (fragments, inline fragments, <c>@skip</c>/<c>@include</c>
/// and arguments with variables resolved; fields with the same response key merged) into the
/// nested selection the records engine compiles into one statement.
/// </summary>
internal sealed class SelectionCollector(GraphQLApi api, GraphQLDocument document, Variables? variables, RecordsOptions options)
{
    public NestedSelection Record(string typeName, IEnumerable<GraphQLSelectionSet?> sets)
    {
        var (collection, members) = api.RecordTypes[typeName];
        var selected = new List<NestedMember>();
        foreach (var (key, fields) in Group(sets))
        {
            var first = fields[0];
            var name = first.Name.StringValue;
            if (name == "__typename")
            {
                continue;
            }
            var member = members[name];
            var children = fields.Select(f => f.SelectionSet);
            selected.Add(member.Kind switch
            {
                RecordMemberKind.Stored => new NestedField(key, member.Field),
                RecordMemberKind.ToOne => new NestedRecord(key, member.Field, Record(member.TypeName!, children)),
                _ => List(key, typeName, first, member, collection.Name, children),
            });
        }
        return new NestedSelection(selected);
    }

    /// <summary>A connection's selection: what to read of its items, and whether the count is wanted.</summary>
    public (NestedSelection Items, bool Count) Connection(string typeName, GraphQLSelectionSet? set)
    {
        var items = new List<GraphQLSelectionSet?>();
        var count = false;
        foreach (var (_, fields) in Group([set]))
        {
            foreach (var field in fields)
            {
                switch (field.Name.StringValue)
                {
                    case "items":
                        items.Add(field.SelectionSet);
                        break;
                    case "total":
                        count = true;
                        break;
                }
            }
        }
        return (Record(typeName, items), count);
    }

    /// <summary>A page size argument: the default when absent, refused outside 1…max.</summary>
    public int Limit(object? value)
    {
        if (value is null)
        {
            return options.DefaultPageSize;
        }
        var limit = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        if (limit < 1 || limit > options.MaxPageSize)
        {
            throw new RecordError(ProblemCodes.BadRequest, $"limit must be a whole number from 1 to {options.MaxPageSize}");
        }
        return (int)limit;
    }

    private NestedList List(string key, string typeName, GraphQLField field, RecordMember member, string collection, IEnumerable<GraphQLSelectionSet?> children)
    {
        var definition = ((IComplexGraphType)api.Schema.AllTypes[typeName]!).GetField(field.Name)!;
        var arguments = ExecutionHelper.GetArguments(definition.Arguments, field.Arguments, variables ?? Variables.None, document, field, null);
        object? Argument(string name) => arguments is not null && arguments.TryGetValue(name, out var value) ? value.Value : null;
        return new NestedList(key, member.Kind == RecordMemberKind.Reverse ? member.Source! : collection, member.Field, Record(member.TypeName!, children))
        {
            Reverse = member.Kind == RecordMemberKind.Reverse,
            Filter = Argument("filter") as string,
            Sort = Argument("sort") as string,
            Limit = Limit(Argument("limit")),
        };
    }

    // Fields by response key, in document order, through fragments; skipped fields left out.
    private List<(string Key, List<GraphQLField> Fields)> Group(IEnumerable<GraphQLSelectionSet?> sets)
    {
        var groups = new List<(string Key, List<GraphQLField> Fields)>();
        foreach (var set in sets)
        {
            Gather(set, groups, []);
        }
        return groups;
    }

    private void Gather(GraphQLSelectionSet? set, List<(string Key, List<GraphQLField> Fields)> groups, HashSet<string> fragments)
    {
        foreach (var selection in set?.Selections ?? [])
        {
            if (selection is IHasDirectivesNode directed && !Included(directed))
            {
                continue;
            }
            switch (selection)
            {
                case GraphQLField field:
                    var key = (field.Alias?.Name ?? field.Name).StringValue;
                    var index = groups.FindIndex(g => g.Key == key);
                    if (index < 0)
                    {
                        groups.Add((key, [field]));
                    }
                    else
                    {
                        groups[index].Fields.Add(field);
                    }
                    break;
                case GraphQLInlineFragment inline:
                    Gather(inline.SelectionSet, groups, fragments);
                    break;
                case GraphQLFragmentSpread spread when fragments.Add(spread.FragmentName.Name.StringValue):
                    Gather(document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(f => f.FragmentName.Name == spread.FragmentName.Name)?.SelectionSet, groups, fragments);
                    break;
            }
        }
    }

    private bool Included(IHasDirectivesNode node)
    {
        foreach (var directive in node.Directives?.Items ?? [])
        {
            var name = directive.Name.StringValue;
            if (name is not ("skip" or "include"))
            {
                continue;
            }
            var condition = directive.Arguments?.Items.FirstOrDefault(a => a.Name == "if")?.Value switch
            {
                GraphQLBooleanValue literal => literal.BoolValue,
                GraphQLVariable variable => variables?.ValueFor(variable.Name.StringValue, false) is true,
                _ => false,
            };
            if (condition == (name == "skip"))
            {
                return false;
            }
        }
        return true;
    }
}
