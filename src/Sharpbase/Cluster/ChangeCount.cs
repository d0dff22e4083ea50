namespace Sharpbase.Cluster;

/// <summary>
/// Which change counter a list validator may use now: this process's own (no Redis), the shared
/// one in Redis, or none (Redis is configured but its counter cannot be trusted right now).
/// </summary>
internal readonly record struct ChangeCount(bool Known, long? Shared)
{
    public static ChangeCount Local => new(true, null);

    public static ChangeCount Unknown => new(false, null);
}
