namespace Sharpbase.Storage.Migrations;

/// <summary>The changes that bring a database to a schema, in order.</summary>
public sealed record MigrationPlan(IReadOnlyList<MigrationStep> Steps)
{
    /// <summary>True when nothing needs to change.</summary>
    public bool IsEmpty => Steps.Count == 0;

    /// <summary>True when at least one step can lose or narrow data.</summary>
    public bool HasDestructive => Steps.Any(step => step.Destructive);
}
