using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Sharpbase.Auth;

/// <summary>
/// Random bearer secrets (refresh tokens, reset and verification tokens, API keys) and the hash
/// under which they are stored.
/// </summary>
internal static class SecureTokens
{
    /// <summary>The prefix that marks an API key in an <c>Authorization: Bearer</c> header.</summary>
    public const string ApiKeyPrefix = "sb_";

    private const int TokenBytes = 32;
    private const int EncodedLength = 43; // base64url of 32 bytes, no padding

    /// <summary>A new 256-bit random token, base64url without padding (43 characters).</summary>
    public static string NewOpaqueToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>A new API key: <c>sb_</c> followed by 256 random bits in base64url (46 characters).</summary>
    public static string NewApiKey() => ApiKeyPrefix + NewOpaqueToken();

    /// <summary>
    /// The lowercase hex SHA-256 of a token, which is what gets stored and looked up.
    /// </summary>
    /// <remarks>
    /// A fast hash is right here, unlike for passwords: these tokens carry 256 random bits, so
    /// nobody can guess them from a leaked hash however fast the hash is, and a slow hash would only
    /// make every authenticated request expensive. Lookups go by hash, so no comparison of secrets
    /// happens in application code.
    /// </remarks>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>Whether a bearer value has the shape of an API key (not whether it is a valid one).</summary>
    public static bool LooksLikeApiKey(string? value)
    {
        if (value is null || value.Length != ApiKeyPrefix.Length + EncodedLength || !value.StartsWith(ApiKeyPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in value.AsSpan(ApiKeyPrefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }
        return true;
    }
}
