using Sharpbase.Records;

namespace Sharpbase.Rest;

/// <summary>Builds the engine's view of the caller of a request.</summary>
internal static class Callers
{
    // Accounts arrive with the auth feature; until then every caller is anonymous.
    public static CallerContext Anonymous(TimeProvider timeProvider) => new(null, false, timeProvider.GetUtcNow().UtcDateTime);
}
