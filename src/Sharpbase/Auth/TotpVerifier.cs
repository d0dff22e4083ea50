using System.Security.Cryptography;
using OtpNet;

namespace Sharpbase.Auth;

/// <summary>
/// TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s steps, what authenticator apps expect)
/// and recovery codes.
/// </summary>
internal sealed class TotpVerifier(TimeProvider time)
{
    private const int SecretBytes = 20;
    private const int Digits = 6;
    private const int StepSeconds = 30;

    // Crockford's base32 alphabet (no i, l, o, u): 32 symbols, so 12 of them carry exactly 60 bits,
    // and the letters people misread are absent.
    private const string RecoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const int RecoveryGroups = 3;
    private const int RecoveryGroupLength = 4;

    // One step either side: RFC 6238 §5.2 allows for the delay between reading and sending a code.
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    /// <summary>A new 160-bit secret in base32, as authenticator apps take it.</summary>
    public static string NewSecret() => Base32Encoding.ToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>
    /// The <c>otpauth://totp/…</c> URI an authenticator app scans from a QR code
    /// (Google Authenticator key URI format, parameters spelled out).
    /// </summary>
    public static string OtpAuthUri(string secret, string issuer, string account)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(account);
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(account);
        return $"otpauth://totp/{label}?secret={Uri.EscapeDataString(secret)}&issuer={Uri.EscapeDataString(issuer)}"
            + $"&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
    }

    /// <summary>
    /// Checks a 6-digit code against the current step and one step either side. A code whose step is
    /// not after <paramref name="lastUsedStep"/> is refused (replay); store <paramref name="matchedStep"/>
    /// as the new last used step. Never throws for bad input.
    /// </summary>
    public bool TryVerify(string secret, string code, long lastUsedStep, out long matchedStep)
    {
        matchedStep = 0;
        if (code is not { Length: Digits } || code.AsSpan().ContainsAnyExceptInRange('0', '9') || string.IsNullOrEmpty(secret))
        {
            return false;
        }
        byte[] key;
        try
        {
            key = Base32Encoding.ToBytes(secret);
        }
        catch (ArgumentException)
        {
            return false;
        }
        if (key.Length == 0)
        {
            return false;
        }
        var totp = new Totp(key, StepSeconds, OtpHashMode.Sha1, Digits);
        CryptographicOperations.ZeroMemory(key);
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, Window) || step <= lastUsedStep)
        {
            return false;
        }
        matchedStep = step;
        return true;
    }

    /// <summary>New single-use recovery codes, <c>xxxx-xxxx-xxxx</c> with 60 random bits each.</summary>
    public static IReadOnlyList<string> NewRecoveryCodes(int count = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var codes = new string[count];
        for (var i = 0; i < count; i++)
        {
            var symbols = RandomNumberGenerator.GetItems<char>(RecoveryAlphabet, RecoveryGroups * RecoveryGroupLength);
            codes[i] = string.Join('-', symbols.Chunk(RecoveryGroupLength).Select(group => new string(group)));
        }
        return codes;
    }

    /// <summary>
    /// Brings a recovery code as typed (any case, with or without dashes and spaces, o/i/l for 0/1/1)
    /// to the form <see cref="NewRecoveryCodes"/> made, so its hash can be looked up.
    /// </summary>
    public static bool TryNormalizeRecoveryCode(string? input, out string code)
    {
        code = "";
        if (input is null || input.Length > 64)
        {
            return false;
        }
        var symbols = new List<char>(RecoveryGroups * RecoveryGroupLength);
        foreach (var c in input.ToLowerInvariant())
        {
            var symbol = c switch { 'o' => '0', 'i' or 'l' => '1', _ => c };
            if (symbol is '-' or ' ')
            {
                continue;
            }
            if (!RecoveryAlphabet.Contains(symbol, StringComparison.Ordinal) || symbols.Count == RecoveryGroups * RecoveryGroupLength)
            {
                return false;
            }
            symbols.Add(symbol);
        }
        if (symbols.Count != RecoveryGroups * RecoveryGroupLength)
        {
            return false;
        }
        code = string.Join('-', symbols.Chunk(RecoveryGroupLength).Select(group => new string(group)));
        return true;
    }
}
