using Sharpbase.Schema;

namespace Sharpbase.Bench.Micro;

/// <summary>The schema of bench/run.sh (bench/bench.yaml), loaded once.</summary>
internal static class BenchSchema
{
    public static readonly AppSchema Schema = SchemaLoader.Load(Path.Combine(AppContext.BaseDirectory, "bench.yaml")).Schema
        ?? throw new InvalidOperationException("bench.yaml does not load");

    public static CollectionDef Posts => Schema.FindCollection("posts")!;
}
