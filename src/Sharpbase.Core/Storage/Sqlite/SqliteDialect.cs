using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sharpbase.Schema;

namespace Sharpbase.Storage.Sqlite;

/// <summary>SQLite: STRICT tables, table rebuilds for destructive changes.</summary>
public sealed class SqliteDialect : SqlDialect
{
    private const int SqliteConstraint = 19;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintForeignKey = 787;

    /// <inheritdoc />
    public override string Name => "sqlite";

    /// <inheritdoc />
    public override string TableSuffix => " STRICT";

    /// <summary>
    /// The parameter inside a cast. SQLite's planner reads a bare <c>LIMIT ?</c> parameter's value,
    /// which marks the statement to be compiled again whenever a value is bound to it: a statement
    /// kept prepared was parsed and planned anew on every run (<c>sqlite3Reprepare</c> under
    /// <c>sqlite3_step</c> in a profile of the GraphQL list, and of every REST list). Inside an
    /// expression the value is only read when the statement runs.
    /// </summary>
    public override string LimitParameter(int index) => $"CAST({Parameter(index)} AS INTEGER)";

    /// <summary>SQLite keeps text as UTF-8: its bytes are written as they are, not decoded into a string and encoded back.</summary>
    public override void WriteJson(Utf8JsonWriter writer, DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reader);
        writer.WriteRawValue(reader.GetFieldValue<byte[]>(ordinal), skipInputValidation: true);
    }

    /// <inheritdoc />
    public override string ColumnType(FieldType type) => type switch
    {
        FieldType.Integer or FieldType.Boolean => "INTEGER",
        FieldType.Number => "REAL",
        _ => "TEXT",
    };

    /// <inheritdoc />
    public override IReadOnlyList<string> RewriteColumns(CollectionDef current, CollectionDef target, IReadOnlySet<string> droppedOrChanged)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(droppedOrChanged);
        // SQLite cannot drop a column that carries a foreign key or an index, so the table is rebuilt
        // (the documented 12-step procedure; the migrator turns foreign keys off around it).
        var temp = "_sb_rebuild__" + target.Name;
        var kept = new List<string> { "id", "created_at", "updated_at", "version" };
        foreach (var field in target.Fields)
        {
            if (!field.IsMultipleRelation && !droppedOrChanged.Contains(field.Name) && current.FindField(field.Name) is { IsMultipleRelation: false })
            {
                kept.Add(field.Name);
            }
        }
        var columns = string.Join(", ", kept.Select(Quote));
        var copy = new StringBuilder()
            .Append("INSERT INTO ").Append(Quote(temp)).Append(" (").Append(columns).Append(") SELECT ")
            .Append(columns).Append(" FROM ").Append(Quote(current.Name)).ToString();
        return
        [
            CreateTable(target, temp),
            copy,
            DropTable(current.Name),
            $"ALTER TABLE {Quote(temp)} RENAME TO {Quote(target.Name)}",
        ];
    }

    /// <inheritdoc />
    public override string RelationIdsJson(string junctionTable, string sourceId) =>
        $"(SELECT json_group_array(target) FROM (SELECT target FROM {Quote(junctionTable)} WHERE source = {sourceId} ORDER BY position))";

    /// <inheritdoc />
    public override string JsonArrayElements(string parameter) => $"SELECT value FROM json_each({parameter})";

    /// <inheritdoc />
    public override string JsonObject(IReadOnlyList<(string Key, string Value)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return "json_object(" + string.Join(", ", members.Select(m => m.Key + ", " + m.Value)) + ")";
    }

    /// <inheritdoc />
    public override string JsonColumn(string column, FieldType type) => type switch
    {
        // Booleans are stored as 0/1 integers in STRICT tables.
        FieldType.Boolean => $"CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN json('true') ELSE json('false') END",
        FieldType.Json => JsonValue(column),
        _ => column,
    };

    /// <inheritdoc />
    public override string JsonValue(string jsonText) => "json(" + jsonText + ")";

    /// <inheritdoc />
    public override string JsonArrayOf(string rowsQuery) => $"(SELECT json_group_array(json(j)) FROM ({rowsQuery}))";

    /// <inheritdoc />
    public override StorageFailure Classify(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint } e when e.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey
            => new StorageFailure(StorageFailureKind.UniqueViolation, UniqueField(e.Message)),
        SqliteException { SqliteErrorCode: SqliteConstraint } e when e.SqliteExtendedErrorCode == SqliteConstraintForeignKey || e.Message.Contains("FOREIGN KEY", StringComparison.Ordinal)
            => new StorageFailure(StorageFailureKind.ForeignKeyViolation),
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => new StorageFailure(StorageFailureKind.Unavailable),
        _ => new StorageFailure(StorageFailureKind.Unknown),
    };

    // "UNIQUE constraint failed: tags.name" names the column; the message itself never leaves the server.
    private static string? UniqueField(string message)
    {
        var marker = message.IndexOf("failed: ", StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }
        var rest = message[(marker + 8)..];
        var end = rest.IndexOfAny([',', '\'', '\n']);
        var first = end < 0 ? rest : rest[..end];
        var dot = first.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? null : first[(dot + 1)..].Trim();
    }
}
