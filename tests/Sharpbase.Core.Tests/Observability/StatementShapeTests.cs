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
    [InlineData("SELECT NULL, p.j FROM (SELECT 1 AS one) AS o LEFT JOIN (SELECT json_object(@p0, (SELECT json_object(@p1, n1.\"id\") FROM \"users\" AS n1 WHERE n1.\"id\" = t.\"author\")) AS j FROM \"posts\" AS t) AS p ON 1 = 1", "SELECT", "posts")]
    [InlineData("SELECT 1 WHERE ('a(' = @p0)", "SELECT", null)]
    [InlineData("PRAGMA synchronous", "PRAGMA", null)]
    public void Of_Statement_NamesOperationAndTable(string text, string operation, string? table)
    {
        var shape = StatementShape.Of(text);

        Assert.Equal(operation, shape.Operation);
        Assert.Equal(table, shape.Table);
        Assert.Same(shape, StatementShape.Of(text));
    }

    [Fact]
    public void Of_ManyTextsAndCopiesOfThem_EachGetsTheShapeOfItsOwnText()
    {
        // More texts than recent slots, each asked for through two string instances, from several threads.
        var texts = Enumerable.Range(0, 500).Select(i => $"SELECT t.id FROM \"c{i}\" AS t WHERE t.id = @p0").ToArray();
        Parallel.For(0, 8, worker =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 20_000; i++)
            {
                var n = random.Next(texts.Length);
                var text = random.Next(2) == 0 ? texts[n] : new string(texts[n].AsSpan());
                var shape = StatementShape.Of(text);

                Assert.Equal(texts[n], shape.Text);
                Assert.Equal($"c{n}", shape.Table);
                Assert.Same(shape, StatementShape.Of(texts[n]));
            }
        });
    }
}
