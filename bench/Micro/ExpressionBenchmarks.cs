using BenchmarkDotNet.Attributes;
using Sharpbase.Query;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Bench.Micro;

/// <summary>The filter language: parsing and binding a filter, and compiling a bound rule to SQL.</summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private const string Filter = "status = \"published\" && (views > 10 || tags.name = \"tag1\")";
    private const string Rule = "status = \"published\" || author = @auth.id";

    private readonly SqliteDialect _dialect = new();
    private readonly QueryVariables _anonymous = QueryVariables.Anonymous(DateTime.UtcNow);
    private readonly QueryVariables _user = QueryVariables.ForUser("01a21417-47a8-7e17-ac8a-ef520ecb3801", [], DateTime.UtcNow);
    private BoundExpr _rule = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (!ExpressionBinder.TryParseAndBind(Rule, BenchSchema.Posts, BenchSchema.Schema, out var rule, out var error))
        {
            throw new InvalidOperationException(error.ToString());
        }
        _rule = rule;
    }

#pragma warning disable CA1822 // BenchmarkDotNet runs instance methods
    [Benchmark]
    public BoundExpr? ParseAndBind() => ExpressionBinder.TryParseAndBind(Filter, BenchSchema.Posts, BenchSchema.Schema, out var bound, out _) ? bound : null;
#pragma warning restore CA1822

    [Benchmark]
    public string CompileRuleAnonymous() => SqlCompiler.Compile(_rule, _dialect, "t", _anonymous, []);

    [Benchmark]
    public string CompileRuleUser() => SqlCompiler.Compile(_rule, _dialect, "t", _user, []);
}
