using System.Buffers;
using System.Text;

namespace Sharpbase.Auth;

/// <summary>Password rules and the cost of password hashing.</summary>
public sealed class PasswordOptions
{
    /// <summary>Fewest characters (Unicode scalar values) a password may have (8).</summary>
    public int MinLength { get; set; } = 8;

    /// <summary>Most characters (Unicode scalar values) a password may have (128); longer ones are refused, never truncated.</summary>
    public int MaxLength { get; set; } = 128;

    /// <summary>How many passwords may be hashed at once (4); each takes <see cref="MemoryKiB"/> of memory.</summary>
    public int MaxConcurrentHashes { get; set; } = 4;

    /// <summary>How long a hash waits for a free slot before the request is refused as busy (10 s).</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Argon2id memory cost in KiB (19456, i.e. 19 MiB: the OWASP minimum).</summary>
    public int MemoryKiB { get; set; } = 19456;

    /// <summary>Argon2id passes over memory (2).</summary>
    public int Iterations { get; set; } = 2;

    /// <summary>Argon2id lanes (1; libsodium supports no other value).</summary>
    public int Parallelism { get; set; } = 1;

    /// <summary>
    /// Checks a new password against the rules; returns a message for the user, or <c>null</c> when
    /// the password is acceptable. Length counts Unicode scalar values, so an emoji counts once.
    /// </summary>
    public string? Check(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var length = 0;
        var rest = password.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                return "The password is not valid Unicode text.";
            }
            if (rune.Value == 0)
            {
                return "The password must not contain a NUL character.";
            }
            length++;
            rest = rest[consumed..];
        }
        if (length < MinLength)
        {
            return $"The password must be at least {MinLength} characters long.";
        }
        if (length > MaxLength)
        {
            return $"The password must be at most {MaxLength} characters long.";
        }
        return null;
    }
}
