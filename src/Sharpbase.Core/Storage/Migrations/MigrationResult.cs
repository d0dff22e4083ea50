namespace Sharpbase.Storage.Migrations;

/// <summary>What a migration run did: the plan, and whether it was applied.</summary>
public sealed record MigrationResult(MigrationPlan Plan, bool Applied);
