namespace Sharpbase.Storage.Migrations;

/// <summary>One change of a migration: what it does in words, whether it can lose data, and its SQL.</summary>
public sealed record MigrationStep(string Description, bool Destructive, IReadOnlyList<string> Statements);
