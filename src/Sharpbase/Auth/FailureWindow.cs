namespace Sharpbase.Auth;

/// <summary>The failed attempts of one key still inside the throttle window: how many, the first and the last.</summary>
internal readonly record struct FailureWindow(int Count, DateTimeOffset Oldest, DateTimeOffset Newest)
{
    public static readonly FailureWindow None = new(0, DateTimeOffset.MinValue, DateTimeOffset.MinValue);
}
