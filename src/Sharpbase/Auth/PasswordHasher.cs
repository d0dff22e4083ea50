using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Sharpbase.Observability;

namespace Sharpbase.Auth;

/// <summary>
/// Argon2id password hashing (libsodium through NSec), stored as a PHC string
/// <c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>. Hashing runs on the thread pool and at most
/// <see cref="PasswordOptions.MaxConcurrentHashes"/> run at once, so a login flood cannot exhaust memory.
/// </summary>
internal sealed class PasswordHasher : IDisposable
{
    private const int SaltBytes = 16; // the only salt size libsodium's Argon2id accepts
    private const int HashBytes = 32;
    private const int MinHashBytes = 16;
    private const int MaxHashBytes = 64;
    private const long MaxMemoryKiB = 4L * 1024 * 1024; // refuse stored hashes asking for more than 4 GiB
    private const string Prefix = "$argon2id$v=19$";

    private static readonly SearchValues<char> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    private readonly PasswordOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly Argon2id _current;
    private readonly string _dummyHash;

    public PasswordHasher(PasswordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxConcurrentHashes < 1)
        {
            throw new ArgumentException("MaxConcurrentHashes must be at least 1.", nameof(options));
        }
        _options = options;
        _current = CreateAlgorithm(options.MemoryKiB, options.Iterations, options.Parallelism)
            ?? throw new ArgumentException(
                $"Argon2id parameters m={options.MemoryKiB} KiB, t={options.Iterations}, p={options.Parallelism} are not supported (p must be 1, m at least 8 KiB, t at least 1).",
                nameof(options));
        _slots = new SemaphoreSlim(options.MaxConcurrentHashes, options.MaxConcurrentHashes);
        // Unknown accounts are checked against this through the same code path as a real hash, so
        // the answer takes as long as for an existing account and does not reveal which emails exist.
        _dummyHash = Encode(options.MemoryKiB, options.Iterations, options.Parallelism,
            RandomNumberGenerator.GetBytes(SaltBytes), RandomNumberGenerator.GetBytes(HashBytes));
    }

    /// <summary>Hashes a password that passed <see cref="PasswordOptions.Check"/>.</summary>
    /// <exception cref="ArgumentException">The password breaks the rules (it is never truncated).</exception>
    /// <exception cref="PasswordHasherBusyException">No hashing slot became free within the queue timeout.</exception>
    public async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (_options.Check(password) is { } problem)
        {
            throw new ArgumentException(problem, nameof(password));
        }
        using var span = Spans.Start("auth.password.hash");
        using var slot = await EnterSlotAsync(cancellationToken);
        return await Task.Run(() =>
        {
            var salt = RandomNumberGenerator.GetBytes(SaltBytes);
            var hash = Derive(_current, password, salt, HashBytes);
            return Encode(_options.MemoryKiB, _options.Iterations, _options.Parallelism, salt, hash);
        }, CancellationToken.None);
    }

    /// <summary>
    /// Checks a password against a stored hash; with <paramref name="encoded"/> <c>null</c> (no such
    /// account) it does the same work and answers not valid. A malformed hash is not valid; this never
    /// throws for bad input.
    /// </summary>
    /// <exception cref="PasswordHasherBusyException">No hashing slot became free within the queue timeout.</exception>
    public async Task<PasswordCheck> VerifyAsync(string password, string? encoded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        using var span = Spans.Start("auth.password.verify");
        var check = await CheckAsync(password, encoded, cancellationToken);
        Spans.Tag(span, Spans.AuthResult, check.Valid ? "valid" : "invalid");
        return check;
    }

    /// <summary>
    /// Takes one hashing slot until the result is disposed. Used by the hashing methods; tests use it
    /// to hold the slots deterministically.
    /// </summary>
    /// <exception cref="PasswordHasherBusyException">No slot became free within the queue timeout.</exception>
    public async Task<IDisposable> EnterSlotAsync(CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_options.QueueTimeout, cancellationToken))
        {
            throw new PasswordHasherBusyException();
        }
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private async Task<PasswordCheck> CheckAsync(string password, string? encoded, CancellationToken cancellationToken)
    {
        // No accepted password is longer than this (a scalar value is at most two UTF-16 units), so
        // a huge input is refused before any work, whatever the account.
        if (password.Length > 2 * _options.MaxLength)
        {
            return default;
        }
        var unknownAccount = encoded is null;
        if (!TryDecode(encoded ?? _dummyHash, out var stored))
        {
            return default;
        }
        using var slot = await EnterSlotAsync(cancellationToken);
        var matches = await Task.Run(() =>
        {
            var algorithm = stored.Matches(_options) ? _current : CreateAlgorithm(stored.MemoryKiB, stored.Iterations, stored.Parallelism);
            if (algorithm is null)
            {
                return false;
            }
            var actual = Derive(algorithm, password, stored.Salt, stored.Hash.Length);
            return CryptographicOperations.FixedTimeEquals(actual, stored.Hash);
        }, CancellationToken.None);
        if (!matches || unknownAccount)
        {
            return default;
        }
        return new PasswordCheck(Valid: true, NeedsRehash: !stored.Matches(_options) || stored.Hash.Length != HashBytes);
    }

    private static byte[] Derive(Argon2id algorithm, string password, byte[] salt, int length)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return algorithm.DeriveBytes(bytes, salt, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static Argon2id? CreateAlgorithm(long memoryKiB, long iterations, int parallelism)
    {
        try
        {
            return PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
            {
                MemorySize = memoryKiB,
                NumberOfPasses = iterations,
                DegreeOfParallelism = parallelism,
            });
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Encode(long memoryKiB, long iterations, int parallelism, byte[] salt, byte[] hash) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}m={memoryKiB},t={iterations},p={parallelism}${ToBase64(salt)}${ToBase64(hash)}");

    private static string ToBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryDecode(string encoded, out StoredHash stored)
    {
        stored = default;
        if (!encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = encoded[Prefix.Length..].Split('$');
        if (parts.Length != 3)
        {
            return false;
        }
        var parameters = parts[0].Split(',');
        if (parameters.Length != 3
            || !TryParameter(parameters[0], "m=", out var memory) || memory > MaxMemoryKiB
            || !TryParameter(parameters[1], "t=", out var iterations) || iterations > uint.MaxValue
            || !TryParameter(parameters[2], "p=", out var parallelism) || parallelism > 255
            || !TryFromBase64(parts[1], out var salt) || salt.Length != SaltBytes
            || !TryFromBase64(parts[2], out var hash) || hash.Length is < MinHashBytes or > MaxHashBytes)
        {
            return false;
        }
        stored = new StoredHash(memory, iterations, (int)parallelism, salt, hash);
        return true;
    }

    private static bool TryParameter(string text, string name, out long value)
    {
        value = 0;
        if (!text.StartsWith(name, StringComparison.Ordinal))
        {
            return false;
        }
        var digits = text.AsSpan(name.Length);
        return digits.Length is > 0 and <= 12
            && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value > 0;
    }

    private static bool TryFromBase64(string text, out byte[] bytes)
    {
        bytes = [];
        // Convert accepts white space and padding inside the text; a PHC string has neither.
        if (text.Length == 0 || text.Length % 4 == 1 || text.AsSpan().ContainsAnyExcept(Base64Alphabet))
        {
            return false;
        }
        var padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }
        bytes = buffer[..written];
        return true;
    }

    private readonly record struct StoredHash(long MemoryKiB, long Iterations, int Parallelism, byte[] Salt, byte[] Hash)
    {
        public bool Matches(PasswordOptions options) =>
            MemoryKiB == options.MemoryKiB && Iterations == options.Iterations && Parallelism == options.Parallelism;
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
