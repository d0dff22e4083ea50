using System.Collections.Concurrent;

namespace Sharpbase.Observability;

/// <summary>Lists with <c>count=true</c> by anonymous callers, per collection, for the advisor; only names of real collections are kept.</summary>
internal sealed class ListTraffic
{
    private readonly ConcurrentDictionary<string, long> _anonymousCounts = new(StringComparer.Ordinal);

    public void AnonymousCount(string collection) => _anonymousCounts.AddOrUpdate(collection, 1, static (_, n) => n + 1);

    public IReadOnlyDictionary<string, long> AnonymousCounts() => new Dictionary<string, long>(_anonymousCounts, StringComparer.Ordinal);
}
