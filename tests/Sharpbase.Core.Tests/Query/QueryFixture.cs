using System.Data.Common;
using Sharpbase.Query;
using Sharpbase.Storage;
using Sharpbase.Storage.Migrations;

namespace Sharpbase.Core.Tests.Query;

/// <summary>A database created with the real DDL of <see cref="QueryTestSchema"/> through a dialect, with a few rows.</summary>
public abstract class QueryFixture : IDisposable
{
    private const string Created = "2024-01-01T00:00:00.000Z";

    private static readonly string[] Rows =
    [
        "INSERT INTO regions VALUES ('r1', @c, @c, 1, 'Europe')",
        "INSERT INTO countries VALUES ('c1', @c, @c, 1, 'France', 'r1')",
        "INSERT INTO orgs VALUES ('o1', @c, @c, 1, 'Acme', 'c1'), ('o2', @c, @c, 1, 'Beta', NULL)",
        "INSERT INTO users (id, created_at, updated_at, version, email, name, secret, org) VALUES ('u1', @c, @c, 1, 'ann@x.io', 'Ann', 'secret', 'o1'), ('u2', @c, @c, 1, 'bob@x.io', 'Bob', NULL, 'o2'), ('u3', @c, @c, 1, 'u3@x.io', NULL, NULL, NULL)",
        "INSERT INTO tags VALUES ('g1', @c, @c, 1, 'dotnet'), ('g2', @c, @c, 1, 'rust')",
        "INSERT INTO posts (id, created_at, updated_at, version, title, email, site, ref, status, author, views, score, pinned, published_at, day, meta, secret_note) VALUES " +
        "('p1', @c, @c, 1, 'Hello World', 'ann@example.com', 'https://a.example', '0190a000-0000-7000-8000-000000000001', 'published', 'u1', 500, 1.5, TRUE, '2024-01-10T10:00:00.000Z', '2024-01-10', '{\"a\":1}', 'shh'), " +
        "('p2', @c, '2024-02-01T00:00:00.000Z', 2, '50% off', NULL, NULL, NULL, 'draft', 'u2', 50, 2.5, FALSE, '2024-06-01T00:00:00.000Z', '2024-06-01', NULL, NULL), " +
        "('p3', @c, @c, 1, 'under_score \\ back', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), " +
        "('p4', @c, @c, 1, 'HELLO 500 again', NULL, NULL, NULL, 'published', 'u3', 0, -1.0, FALSE, '2023-12-31T23:59:59.999Z', '2023-12-31', NULL, NULL)",
        "INSERT INTO _sb_rel__posts__tags VALUES ('p1', 'g1', 0), ('p1', 'g2', 1), ('p2', 'g2', 0), ('p4', 'g1', 0)",
    ];

    private readonly DbConnection _connection;
    private readonly SqlDialect _dialect;

    protected QueryFixture(DbConnection connection, SqlDialect dialect)
    {
        _connection = connection;
        _dialect = dialect;
        var plan = MigrationPlanner.Plan(null, QueryTestSchema.Schema.Collections, dialect);
        foreach (var statement in plan.Steps.SelectMany(step => step.Statements).Concat(Rows))
        {
            using var command = _connection.CreateCommand();
            command.CommandText = statement;
            AddParameter(command, "@c", Created);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The ids of the posts the filter matches, in order; as <paramref name="schemaText"/> it is compiled as a rule is.</summary>
    public IReadOnlyList<string> Matches(string filter, QueryVariables variables, bool schemaText = false)
    {
        var bound = ExpressionBinderTests.Bind(filter);
        var parameters = new List<object?>();
        var predicate = SqlCompiler.Compile(bound, _dialect, "t0", variables, parameters, schemaText: schemaText);
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT t0.id FROM posts t0 WHERE {predicate} ORDER BY t0.id";
        for (var i = 0; i < parameters.Count; i++)
        {
            AddParameter(command, "@p" + i, parameters[i]);
        }
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    public virtual void Dispose()
    {
        _connection.Dispose();
        GC.SuppressFinalize(this);
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
