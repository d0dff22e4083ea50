namespace Sharpbase.Schema;

/// <summary>A relation's target, checked once every collection of the file is known.</summary>
internal sealed record RelationReference(string Target, int Line, string Path);
