namespace Sharpbase.Admin;

/// <summary>
/// The advisor behind <c>GET /admin/advisor</c> and <c>sharpbase doctor</c>: reads the schema, the
/// configuration, the database and the live statistics, and reports what makes the API slow or
/// unsafe, each finding with its evidence and fix. Errors first, then warnings, then notes.
/// </summary>
internal static class Advisor
{
    /// <summary>How many times a statement shape or a public count must have run before it counts as "often" (20).</summary>
    public const int OftenRuns = 20;

    public static async Task<IReadOnlyList<Finding>> RunAsync(AdvisorInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var findings = new List<Finding>();
        RuleChecks.Add(input, findings);
        ProtectionChecks.Add(input, findings);
        SigningKeyChecks.Add(input, findings);
        await DatabaseChecks.AddAsync(input, findings, cancellationToken);
        await IndexChecks.AddAsync(input, findings, cancellationToken);
        return [.. findings.OrderBy(f => Rank(f.Severity)).ThenBy(f => f.Id, StringComparer.Ordinal)];
    }

    /// <summary>True when any finding is an error.</summary>
    public static bool HasErrors(IEnumerable<Finding> findings) => findings.Any(f => f.Severity == Finding.Error);

    private static int Rank(string severity) => severity switch
    {
        Finding.Error => 0,
        Finding.Warning => 1,
        _ => 2,
    };
}
