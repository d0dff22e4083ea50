namespace Sharpbase.Protection;

/// <summary>What a rate limit counts by.</summary>
internal enum PartitionKind
{
    /// <summary>The client address (IPv6 per /64).</summary>
    Ip,
    /// <summary>The signed-in account; anonymous callers by address.</summary>
    User,
    /// <summary>The API key used; other callers by account, then address.</summary>
    ApiKey,
}
