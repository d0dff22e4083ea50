using Sharpbase.Observability;

namespace Sharpbase.Core.Tests.Observability;

public sealed class StatementShapeTests
{
    [Theory]
    [InlineData("SELECT t.id, (SELECT json_group_array(target) FROM (SELECT target FROM \"_sb_rel__posts__tags\" WHERE source = t.id)) FROM \"posts\" AS t WHERE t.id = @p0", "SELECT", "posts")]
    [InlineData("INSERT INTO \"tags\" (id, name) VALUES (@p0, @p1)", "INSERT", "tags")]
    [InlineData("UPDATE \"posts\" SET version = version + 1 WHERE id = @p0", "UPDATE", "posts")]
    [InlineData("DELETE FROM _sb_idempotency WHERE created_at < @p0", "DELETE", "_sb_idempotency")]
    [InlineData("SELECT json_agg(x) FROM (SELECT t.id FROM \"posts\" AS t LIMIT @p0) AS x", "SELECT", "posts")]
    [InlineData("SELECT 1 WHERE ('a(' = @p0)", "SELECT", null)]
    [InlineData("PRAGMA synchronous", "PRAGMA", null)]
    public void Of_Statement_NamesOperationAndTable(string text, string operation, string? table)
    {
        var shape = StatementShape.Of(text);

        Assert.Equal(operation, shape.Operation);
        Assert.Equal(table, shape.Table);
        Assert.Same(shape, StatementShape.Of(text));
    }
}
