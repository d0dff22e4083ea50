using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>Resolves <c>a.b.c</c> through relations, refusing hidden fields and paths that are too long.</summary>
internal sealed class PathResolver(Binder binder, AppSchema schema)
{
    public BoundField? Resolve(FieldOperand operand)
    {
        var path = operand.Path;
        if (path.Count > QueryLimits.MaxHops + 1)
        {
            return binder.Fail<BoundField>(
                QueryErrorCodes.TooManyHops, $"path '{operand.Text}' follows more than {QueryLimits.MaxHops} relations", operand.Position);
        }
        var current = binder.Collection;
        var hops = new List<RelationHop>();
        var position = operand.Position;
        for (var i = 0; i < path.Count; i++)
        {
            var name = path[i];
            var field = SystemFieldDefs.Find(current, name);
            if (field is null)
            {
                var where = current == binder.Collection ? "" : $" in '{current.Name}'";
                return binder.Fail<BoundField>(
                    QueryErrorCodes.UnknownField, $"unknown field '{name}'{where}", position, NameSuggestions.Closest(name, SystemFieldDefs.VisibleNames(current)));
            }
            if (field.Hidden)
            {
                return binder.Fail<BoundField>(QueryErrorCodes.FieldNotFilterable, $"field '{name}' is not filterable", position);
            }
            if (i == path.Count - 1)
            {
                return new BoundField(operand.Text, hops, current, field);
            }
            if (field.Type != FieldType.Relation || schema.FindCollection(field.Target ?? "") is not { } target)
            {
                return binder.Fail<BoundField>(
                    QueryErrorCodes.NotARelation, $"'{name}' is not a relation, so '{path[i + 1]}' cannot follow it", position.Advance(name.Length + 1));
            }
            hops.Add(new RelationHop(current, field, target));
            current = target;
            position = position.Advance(name.Length + 1);
        }
        return binder.Fail<BoundField>(QueryErrorCodes.Syntax, "empty field path", operand.Position);
    }
}
