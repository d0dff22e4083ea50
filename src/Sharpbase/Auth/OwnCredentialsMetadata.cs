namespace Sharpbase.Auth;

/// <summary>
/// Endpoint metadata for routes that check their own <c>Authorization</c> header (e.g. a metrics
/// scrape token), which Sharpbase's authentication then leaves alone.
/// </summary>
public sealed class OwnCredentialsMetadata
{
    /// <summary>The one instance to attach with <c>WithMetadata</c>.</summary>
    public static readonly OwnCredentialsMetadata Instance = new();
}
