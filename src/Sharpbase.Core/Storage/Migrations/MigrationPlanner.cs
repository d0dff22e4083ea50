using System.Text;
using System.Text.Json;
using Sharpbase.Schema;

namespace Sharpbase.Storage.Migrations;

/// <summary>
/// Diffs the collections last applied to a database against the desired ones. Additive changes
/// (new collection, field, index) are safe; dropping, retyping or narrowing is destructive.
/// </summary>
public static class MigrationPlanner
{
    /// <summary>Plans the steps from <paramref name="applied"/> (null for an empty database) to <paramref name="desired"/>.</summary>
    public static MigrationPlan Plan(IReadOnlyList<CollectionDef>? applied, IReadOnlyList<CollectionDef> desired, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(dialect);
        applied ??= [];
        var steps = new List<MigrationStep>();
        var current = applied.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var collection in DependencyOrder(desired))
        {
            if (current.TryGetValue(collection.Name, out var existing))
            {
                PlanChanges(existing, collection, dialect, steps);
            }
            else
            {
                steps.Add(CreateCollection(collection, dialect));
            }
        }
        foreach (var collection in applied)
        {
            if (!desired.Any(c => c.Name == collection.Name))
            {
                var drops = collection.Fields.Where(f => f.IsMultipleRelation)
                    .Select(f => dialect.DropTable(SqlDialect.JunctionTable(collection.Name, f.Name)))
                    .Append(dialect.DropTable(collection.Name)).ToList();
                steps.Add(new MigrationStep($"drop collection '{collection.Name}' and all its records", true, drops));
            }
        }
        return new MigrationPlan(steps);
    }

    /// <summary>The canonical JSON of a set of collections, as recorded after a migration.</summary>
    public static string Snapshot(IReadOnlyList<CollectionDef> collections) =>
        JsonSerializer.Serialize(collections.ToList(), SchemaSnapshotContext.Default.ListCollectionDef);

    /// <summary>Reads a recorded snapshot back.</summary>
    public static IReadOnlyList<CollectionDef> ReadSnapshot(string json) =>
        JsonSerializer.Deserialize(json, SchemaSnapshotContext.Default.ListCollectionDef) ?? [];

    private static MigrationStep CreateCollection(CollectionDef collection, SqlDialect dialect)
    {
        var statements = new List<string> { dialect.CreateTable(collection) };
        statements.AddRange(AllIndexes(collection, dialect));
        foreach (var field in collection.Fields.Where(f => f.IsMultipleRelation))
        {
            statements.AddRange(CreateJunction(collection, field, dialect));
        }
        return new MigrationStep($"create collection '{collection.Name}'", false, statements);
    }

    private static void PlanChanges(CollectionDef existing, CollectionDef desired, SqlDialect dialect, List<MigrationStep> steps)
    {
        var name = desired.Name;
        var rewritten = new HashSet<string>(StringComparer.Ordinal);
        var destructive = new List<string>();
        foreach (var old in existing.Fields)
        {
            var now = desired.FindField(old.Name);
            if (now is null)
            {
                destructive.Add($"drop field '{name}.{old.Name}' and its data");
                rewritten.Add(old.Name);
            }
            else if (!SameStorage(old, now))
            {
                destructive.Add($"change the type of '{name}.{old.Name}' ({Describe(old)} → {Describe(now)}); its values are dropped");
                rewritten.Add(old.Name);
            }
        }
        var rewrite = rewritten.Any(f => existing.FindField(f) is { IsMultipleRelation: false });
        if (destructive.Count > 0)
        {
            var statements = new List<string>();
            if (rewrite)
            {
                // The rewritten table keeps only the fields that stay as they were: new and retyped
                // fields are added by the steps below, on every database, which also fill in defaults.
                var unchanged = desired with { Fields = [.. desired.Fields.Where(f => !rewritten.Contains(f.Name) && existing.FindField(f.Name) is not null)] };
                statements.AddRange(dialect.RewriteColumns(existing, unchanged, rewritten));
            }
            foreach (var field in existing.Fields.Where(f => f.IsMultipleRelation && rewritten.Contains(f.Name)))
            {
                statements.Add(dialect.DropTable(SqlDialect.JunctionTable(name, field.Name)));
            }
            steps.Add(new MigrationStep(string.Join("; ", destructive), true, statements));
        }
        // Fields that are new, or were dropped above to be re-added with a new type.
        foreach (var field in desired.Fields.Where(f => existing.FindField(f.Name) is null || rewritten.Contains(f.Name)))
        {
            steps.Add(AddField(desired, field, dialect));
        }
        PlanIndexes(existing, desired, dialect, rewrite, rewritten, steps);
    }

    private static MigrationStep AddField(CollectionDef collection, FieldDef field, SqlDialect dialect)
    {
        if (field.IsMultipleRelation)
        {
            return new MigrationStep($"add field '{collection.Name}.{field.Name}'", false, CreateJunction(collection, field, dialect));
        }
        var statements = new List<string> { dialect.AddColumn(collection, field) };
        if (field.Default is { Kind: DefaultKind.Literal, LiteralJson: { } json })
        {
            // Existing records take the declared default, as if they had been created with it.
            statements.Add($"UPDATE {dialect.Quote(collection.Name)} SET {dialect.Quote(field.Name)} = {dialect.Literal(DefaultLiteral(json))}");
        }
        return new MigrationStep($"add field '{collection.Name}.{field.Name}'", false, statements);
    }

    private static void PlanIndexes(CollectionDef existing, CollectionDef desired, SqlDialect dialect, bool rebuilt, HashSet<string> rewritten, List<MigrationStep> steps)
    {
        var before = rebuilt ? new Dictionary<string, IndexSpec>() : IndexSpecs(existing);
        var after = IndexSpecs(desired);
        foreach (var (indexName, spec) in before)
        {
            if (!after.TryGetValue(indexName, out var kept) || kept != spec || spec.Columns.Any(rewritten.Contains))
            {
                steps.Add(new MigrationStep($"drop index '{indexName}'", false, [dialect.DropIndex(desired.Name, indexName)]));
            }
        }
        foreach (var (indexName, spec) in after)
        {
            var wasThere = before.TryGetValue(indexName, out var old) && old == spec && !spec.Columns.Any(rewritten.Contains);
            if (!wasThere)
            {
                var narrowing = spec.Unique && !rebuilt && existing.FindField(spec.Columns[0]) is { Unique: false };
                var what = narrowing ? $"make '{desired.Name}.{spec.Columns[0]}' unique (fails if values repeat)" : $"create index '{indexName}'";
                steps.Add(new MigrationStep(what, narrowing, [dialect.CreateIndex(desired.Name, Whole(indexName, dialect), spec.Columns, spec.Unique)]));
            }
        }
    }

    private static List<string> AllIndexes(CollectionDef collection, SqlDialect dialect) =>
        [.. IndexSpecs(collection).Select(kv => dialect.CreateIndex(collection.Name, Whole(kv.Key, dialect), kv.Value.Columns, kv.Value.Unique))];

    private static IReadOnlyList<string> CreateJunction(CollectionDef collection, FieldDef field, SqlDialect dialect)
    {
        var table = Whole(SqlDialect.JunctionTable(collection.Name, field.Name), dialect);
        Whole(SqlDialect.JunctionIndexName(table), dialect);
        return dialect.CreateJunction(collection, field);
    }

    // PostgreSQL keeps only the first 63 bytes of a name, with nothing but a notice: two long names
    // could become one table, and a unique index would lose the suffix that tells which field a
    // duplicate is in. A name a plan creates must fit whole; what was made before keeps working.
    private static string Whole(string name, SqlDialect dialect) =>
        dialect.MaxNameBytes is { } max && Encoding.UTF8.GetByteCount(name) > max
            ? throw new MigrationException($"the database name '{name}' is longer than the {max} bytes {dialect.Name} keeps of a name: shorten the collection or field names it is made of")
            : name;

    private static Dictionary<string, IndexSpec> IndexSpecs(CollectionDef collection)
    {
        var specs = new Dictionary<string, IndexSpec>(StringComparer.Ordinal);
        foreach (var field in collection.Fields.Where(f => !f.IsMultipleRelation))
        {
            if (field.Unique)
            {
                specs[SqlDialect.FieldIndexName(collection.Name, field.Name, true)] = new IndexSpec([field.Name], true);
            }
            else if (field.Index || field.Type == FieldType.Relation)
            {
                specs[SqlDialect.FieldIndexName(collection.Name, field.Name, false)] = new IndexSpec(WithId([field.Name]), false);
            }
        }
        foreach (var columns in collection.Indexes)
        {
            specs[SqlDialect.CompositeIndexName(collection.Name, columns)] = new IndexSpec(WithId(columns), false);
        }
        return specs;
    }

    // Lists are always ordered with id last, so a non-unique index ending in id serves
    // "WHERE a = ? ORDER BY id" (and keyset pages) straight from the index, without a sort.
    private static List<string> WithId(IReadOnlyList<string> columns) =>
        columns.Contains(SystemFields.Id) ? [.. columns] : [.. columns, SystemFields.Id];

    private static bool SameStorage(FieldDef a, FieldDef b) =>
        a.Type == b.Type && a.Multiple == b.Multiple && a.Target == b.Target && (a.Type != FieldType.Relation || a.Required == b.Required);

    private static string Describe(FieldDef field) => field.Type switch
    {
        FieldType.Relation => $"relation to {(field.Multiple ? "many " : string.Empty)}'{field.Target}'{(field.Required ? ", required" : string.Empty)}",
        _ => FieldTypeNames.Name(field.Type),
    };

    private static object? DefaultLiteral(string json)
    {
        using var document = JsonDocument.Parse(json);
        var value = document.RootElement;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt64(out var l) => l,
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.Null => null,
            _ => value.GetRawText(),
        };
    }

    private static List<CollectionDef> DependencyOrder(IReadOnlyList<CollectionDef> collections)
    {
        var ordered = new List<CollectionDef>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = collections.ToList();
        while (pending.Count > 0)
        {
            // A collection goes once every table its relations point at exists (its junction tables
            // come with it, and PostgreSQL checks a foreign key's table at creation); failing that,
            // once its single relations' tables exist; a cycle falls back to file order.
            var next = pending.FirstOrDefault(c => c.Fields.All(f => f.Type != FieldType.Relation || f.Target == c.Name || placed.Contains(f.Target!)))
                ?? pending.FirstOrDefault(c => c.Fields.All(f => f.Type != FieldType.Relation || f.Multiple || f.Target == c.Name || placed.Contains(f.Target!)))
                ?? pending[0];
            ordered.Add(next);
            placed.Add(next.Name);
            pending.Remove(next);
        }
        return ordered;
    }

    private sealed record IndexSpec(IReadOnlyList<string> Columns, bool Unique)
    {
        public bool Equals(IndexSpec? other) => other is not null && Unique == other.Unique && Columns.SequenceEqual(other.Columns);

        public override int GetHashCode() => HashCode.Combine(Unique, Columns.Count);
    }
}
