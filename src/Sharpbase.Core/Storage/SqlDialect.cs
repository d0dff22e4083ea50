using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sharpbase.Schema;

namespace Sharpbase.Storage;

/// <summary>
/// Everything that differs between databases: identifier quoting, column types, DDL and error
/// classification. Every statement Sharpbase runs is generated through a dialect.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The dialect's name, e.g. <c>sqlite</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Quotes an identifier that the schema validated as snake_case.</summary>
    public virtual string Quote(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>The parameter placeholder for the i-th parameter of a statement.</summary>
    public virtual string Parameter(int index) => "@p" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The i-th parameter as a statement's <c>LIMIT</c>.</summary>
    public virtual string LimitParameter(int index) => Parameter(index);

    /// <summary>
    /// A case-insensitive pattern match of <paramref name="operand"/> against the pattern in
    /// <paramref name="pattern"/>, where <c>\</c> escapes <c>%</c>, <c>_</c> and itself. The default is
    /// <c>LIKE … ESCAPE '\'</c>, case-insensitive for ASCII in SQLite; PostgreSQL overrides it with <c>ILIKE</c>.
    /// </summary>
    public virtual string LikePredicate(string operand, string pattern, bool negated) =>
        $"{operand} {(negated ? "NOT LIKE" : "LIKE")} {pattern} ESCAPE '\\'";

    /// <summary>The column type of a declared field.</summary>
    public abstract string ColumnType(FieldType type);

    /// <summary>The column type of system text columns (ids, timestamps).</summary>
    public virtual string TextType => "TEXT";

    /// <summary>Text appended to CREATE TABLE, e.g. <c> STRICT</c>.</summary>
    public virtual string TableSuffix => string.Empty;

    /// <summary>
    /// True when <c>INSERT INTO table AS t … RETURNING</c> can read the new row with the select list of
    /// a <c>SELECT … FROM table AS t</c> (PostgreSQL); SQLite's RETURNING knows no table alias.
    /// </summary>
    public virtual bool InsertReturnsRow => false;

    /// <summary>The junction table of a multiple relation.</summary>
    public static string JunctionTable(string collection, string field) => "_sb_rel__" + collection + "__" + field;

    /// <summary>The reverse (target) index of a junction table.</summary>
    public static string JunctionIndexName(string junctionTable) => junctionTable + "_target_idx";

    /// <summary>The longest name, in bytes, the database keeps whole; null when it keeps any name whole.</summary>
    public virtual int? MaxNameBytes => null;

    /// <summary>The name of a single-column index.</summary>
    public static string FieldIndexName(string collection, string field, bool unique) =>
        collection + "__" + field + (unique ? "_unique" : "_idx");

    /// <summary>The name of a composite index.</summary>
    public static string CompositeIndexName(string collection, IReadOnlyList<string> fields) =>
        collection + "__" + string.Join("__", fields) + "_idx";

    /// <summary>The column definition of an integer primary key the database numbers itself.</summary>
    protected virtual string GeneratedKey => "INTEGER PRIMARY KEY";

    /// <summary>
    /// A statement run first in the migration transaction that makes concurrent migrations of the
    /// same database wait for each other, or null when the database's write path already serializes them.
    /// </summary>
    public virtual string? MigrationLock => null;

    /// <summary>Tables Sharpbase keeps for itself.</summary>
    public virtual IReadOnlyList<string> SystemTables()
    {
        var text = TextType;
        var integer = ColumnType(FieldType.Integer);
        var flag = ColumnType(FieldType.Boolean);
        return
        [
            $"CREATE TABLE IF NOT EXISTS _sb_migrations (id {GeneratedKey}, applied_at {text} NOT NULL, description {text} NOT NULL, statements {text} NOT NULL)" + TableSuffix,
            $"CREATE TABLE IF NOT EXISTS _sb_schema (id {integer} PRIMARY KEY CHECK (id = 1), snapshot {text} NOT NULL)" + TableSuffix,
            $"CREATE TABLE IF NOT EXISTS _sb_idempotency (scope {text} NOT NULL, key {text} NOT NULL, request_hash {text} NOT NULL, status {integer} NOT NULL, record_id {text}, version {integer} NOT NULL, body {text} NOT NULL, created_at {text} NOT NULL, PRIMARY KEY (scope, key))" + TableSuffix,
            // Accounts: credentials never live in a collection table, so no filter, sort or expand reaches them.
            $"CREATE TABLE IF NOT EXISTS _sb_credentials (kind {text} NOT NULL, account_id {text} NOT NULL, password_hash {text}, token_version {integer} NOT NULL, mfa_secret {text}, mfa_enabled {flag} NOT NULL, mfa_last_step {integer} NOT NULL, PRIMARY KEY (kind, account_id))" + TableSuffix,
            $"CREATE TABLE IF NOT EXISTS _sb_superusers (id {text} PRIMARY KEY NOT NULL, email {text} NOT NULL UNIQUE, created_at {text} NOT NULL)" + TableSuffix,
            $"CREATE TABLE IF NOT EXISTS _sb_sessions (token_hash {text} PRIMARY KEY NOT NULL, session_id {text} NOT NULL, kind {text} NOT NULL, account_id {text} NOT NULL, created_at {text} NOT NULL, expires_at {text} NOT NULL, rotated_at {text}, revoked_at {text})" + TableSuffix,
            "CREATE INDEX IF NOT EXISTS _sb_sessions_session_idx ON _sb_sessions (session_id)",
            "CREATE INDEX IF NOT EXISTS _sb_sessions_account_idx ON _sb_sessions (kind, account_id)",
            $"CREATE TABLE IF NOT EXISTS _sb_one_time_tokens (token_hash {text} PRIMARY KEY NOT NULL, purpose {text} NOT NULL, kind {text} NOT NULL, account_id {text} NOT NULL, expires_at {text} NOT NULL, used_at {text})" + TableSuffix,
            $"CREATE TABLE IF NOT EXISTS _sb_recovery_codes (kind {text} NOT NULL, account_id {text} NOT NULL, code_hash {text} NOT NULL, used_at {text}, PRIMARY KEY (kind, account_id, code_hash))" + TableSuffix,
            $"CREATE TABLE IF NOT EXISTS _sb_api_keys (id {text} PRIMARY KEY NOT NULL, key_hash {text} NOT NULL UNIQUE, prefix {text} NOT NULL, name {text} NOT NULL, kind {text} NOT NULL, account_id {text} NOT NULL, created_at {text} NOT NULL, last_used_at {text}, revoked_at {text})" + TableSuffix,
        ];
    }

    /// <summary>The column definition of a field, without the name.</summary>
    protected virtual string ColumnDefinition(FieldDef field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var type = ColumnType(field.Type);
        if (field.Type != FieldType.Relation)
        {
            return type;
        }
        var onDelete = field.Required ? "RESTRICT" : "SET NULL";
        return $"{type} REFERENCES {Quote(field.Target!)}(id) ON DELETE {onDelete}";
    }

    /// <summary>CREATE TABLE for a collection (columns only; indexes come separately).</summary>
    public virtual string CreateTable(CollectionDef collection, string? tableName = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE ").Append(Quote(tableName ?? collection.Name)).Append(" (");
        sql.Append("id ").Append(TextType).Append(" PRIMARY KEY NOT NULL, ");
        sql.Append("created_at ").Append(TextType).Append(" NOT NULL, ");
        sql.Append("updated_at ").Append(TextType).Append(" NOT NULL, ");
        sql.Append("version ").Append(ColumnType(FieldType.Integer)).Append(" NOT NULL");
        foreach (var field in collection.Fields)
        {
            if (!field.IsMultipleRelation)
            {
                sql.Append(", ").Append(Quote(field.Name)).Append(' ').Append(ColumnDefinition(field));
            }
        }
        sql.Append(')').Append(TableSuffix);
        return sql.ToString();
    }

    /// <summary>ALTER TABLE … ADD COLUMN for a new single-valued field.</summary>
    public virtual string AddColumn(CollectionDef collection, FieldDef field)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(field);
        return $"ALTER TABLE {Quote(collection.Name)} ADD COLUMN {Quote(field.Name)} {ColumnDefinition(field)}";
    }

    /// <summary>The junction table of a multiple relation, with its reverse index.</summary>
    public virtual IReadOnlyList<string> CreateJunction(CollectionDef collection, FieldDef field)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(field);
        var table = JunctionTable(collection.Name, field.Name);
        return
        [
            $"CREATE TABLE {Quote(table)} (source {TextType} NOT NULL REFERENCES {Quote(collection.Name)}(id) ON DELETE CASCADE, " +
            $"target {TextType} NOT NULL REFERENCES {Quote(field.Target!)}(id) ON DELETE CASCADE, " +
            $"position {ColumnType(FieldType.Integer)} NOT NULL, PRIMARY KEY (source, target)){TableSuffix}",
            $"CREATE INDEX {Quote(JunctionIndexName(table))} ON {Quote(table)} (target)",
        ];
    }

    /// <summary>DROP TABLE.</summary>
    public virtual string DropTable(string table) => "DROP TABLE " + Quote(table);

    /// <summary>CREATE [UNIQUE] INDEX.</summary>
    public virtual string CreateIndex(string table, string name, IReadOnlyList<string> columns, bool unique)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var list = string.Join(", ", columns.Select(Quote));
        return $"CREATE {(unique ? "UNIQUE " : string.Empty)}INDEX {Quote(name)} ON {Quote(table)} ({list})";
    }

    /// <summary>DROP INDEX.</summary>
    public virtual string DropIndex(string table, string name) => "DROP INDEX " + Quote(name);

    /// <summary>
    /// Statements that drop the given columns of an existing table, keeping every other column's
    /// data. <paramref name="target"/> is the collection as it is once they are gone: its fields are
    /// those kept unchanged; the planner adds new and retyped fields afterwards.
    /// </summary>
    public abstract IReadOnlyList<string> RewriteColumns(CollectionDef current, CollectionDef target, IReadOnlySet<string> droppedOrChanged);

    /// <summary>A SQL literal for a schema default (schema text, never client input).</summary>
    public virtual string Literal(object? value) => value switch
    {
        null => "NULL",
        bool b => b ? "1" : "0",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        _ => throw new ArgumentException("unsupported literal", nameof(value)),
    };

    /// <summary>
    /// A scalar subquery giving the ids of a multiple relation of the row <paramref name="sourceId"/>
    /// as a JSON array text, in their stored order.
    /// </summary>
    public abstract string RelationIdsJson(string junctionTable, string sourceId);

    /// <summary>A subquery listing the strings of a JSON array parameter, e.g. for <c>id IN (…)</c> with one parameter.</summary>
    public abstract string JsonArrayElements(string parameter);

    /// <summary>
    /// A JSON object built by the database from <paramref name="members"/>: each key an SQL text
    /// expression (a parameter), each value an SQL expression that is already a JSON value
    /// (see <see cref="JsonColumn"/> and <see cref="JsonValue"/>) or a plain text/number.
    /// SQLite: <c>json_object</c>; PostgreSQL: <c>json_build_object</c>.
    /// </summary>
    public abstract string JsonObject(IReadOnlyList<(string Key, string Value)> members);

    /// <summary>
    /// The JSON value of a stored column of a field of type <paramref name="type"/>, for use in
    /// <see cref="JsonObject"/>: booleans as <c>true</c>/<c>false</c>, json fields as JSON (not as
    /// a string), numbers as numbers, text as strings, NULL as <c>null</c>.
    /// </summary>
    public abstract string JsonColumn(string column, FieldType type);

    /// <summary>
    /// An expression whose value is JSON text (a scalar subquery of <see cref="JsonObject"/> or
    /// <see cref="JsonArrayOf"/>, or <see cref="RelationIdsJson"/>) marked as JSON, so that
    /// <see cref="JsonObject"/> nests it instead of quoting it as a string; NULL stays NULL.
    /// </summary>
    public abstract string JsonValue(string jsonText);

    /// <summary>Writes the text in column <paramref name="ordinal"/> (not null) as the string property <paramref name="name"/>.</summary>
    public virtual void WriteText(Utf8JsonWriter writer, JsonEncodedText name, DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reader);
        writer.WriteString(name, reader.GetString(ordinal));
    }

    /// <summary>Writes the JSON text the database built in column <paramref name="ordinal"/> as the writer's next value.</summary>
    public virtual void WriteJson(Utf8JsonWriter writer, DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reader);
        writer.WriteRawValue(reader.GetString(ordinal), skipInputValidation: true);
    }

    /// <summary>
    /// A scalar subquery: the JSON array of the column <c>j</c> (JSON values) of the rows of
    /// <paramref name="rowsQuery"/>, in that query's order, and <c>[]</c> when it has no rows.
    /// </summary>
    public abstract string JsonArrayOf(string rowsQuery);

    /// <summary>Classifies a database exception into an outcome a client can be told.</summary>
    public abstract StorageFailure Classify(Exception exception);
}
