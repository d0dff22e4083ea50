using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Sharpbase.Observability;
using Sharpbase.Schema;

namespace Sharpbase.Admin;

/// <summary>What the advisor reads: the schema, the configuration, the database when there is one, and the live statistics when a server runs.</summary>
internal sealed record AdvisorInput(AppSchema Schema, IConfiguration Configuration, bool DevMode, string DataDirectory)
{
    /// <summary>Opens a read connection to the database that keeps its session state (the plan checks set planner options); null when there is no database to look at.</summary>
    public Func<CancellationToken, ValueTask<DbConnection>>? OpenReader { get; init; }

    /// <summary>The <c>synchronous</c> level the writer runs with (0 off, 1 normal, 2 full, 3 extra): read from the running writer, or from the configuration.</summary>
    public Func<CancellationToken, Task<long>>? WriterSynchronous { get; init; }

    /// <summary>SQL statement shapes the server ran, with their collection, runs, time and rows; empty without a running server.</summary>
    public IReadOnlyList<StatementStats> Shapes { get; init; } = [];

    /// <summary>Lists with <c>count=true</c> by anonymous callers, per collection; empty without a running server.</summary>
    public IReadOnlyDictionary<string, long> AnonymousCountLists { get; init; } = new Dictionary<string, long>();
}
