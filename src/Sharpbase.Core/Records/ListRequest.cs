namespace Sharpbase.Records;

/// <summary>A page of a list, already bounded by the transport: size, offset, and the id to continue after.</summary>
public sealed record ListRequest(int Limit, int Offset, string? AfterId);
