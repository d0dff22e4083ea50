using Sharpbase.Schema;

namespace Sharpbase.Query;

/// <summary>The system columns every record has, as field definitions so paths can resolve to them.</summary>
internal static class SystemFieldDefs
{
    public static readonly FieldDef Id = new(SystemFields.Id, FieldType.Text);
    public static readonly FieldDef CreatedAt = new(SystemFields.CreatedAt, FieldType.DateTime);
    public static readonly FieldDef UpdatedAt = new(SystemFields.UpdatedAt, FieldType.DateTime);
    public static readonly FieldDef Version = new(SystemFields.Version, FieldType.Integer);

    public static FieldDef? Find(CollectionDef collection, string name) => name switch
    {
        SystemFields.Id => Id,
        SystemFields.CreatedAt => CreatedAt,
        SystemFields.UpdatedAt => UpdatedAt,
        SystemFields.Version => Version,
        _ => collection.FindField(name),
    };

    /// <summary>Names a message may suggest: system fields and visible declared fields, never hidden ones.</summary>
    public static IEnumerable<string> VisibleNames(CollectionDef collection) =>
        SystemFields.Names.Concat(collection.Fields.Where(f => !f.Hidden).Select(f => f.Name));
}
