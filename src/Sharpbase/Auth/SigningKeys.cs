using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Sharpbase.Hosting;

namespace Sharpbase.Auth;

/// <summary>
/// The keys that sign access tokens: the first (newest) signs, all validate, so a rotated-out key
/// keeps its tokens valid until they expire. Kept in <c>jwt-keys.json</c> in the data folder
/// (readable by the owner only) or given by <see cref="JwtOptions.Keys"/>.
/// </summary>
public sealed class SigningKeys
{
    /// <summary>The key file's name in the data folder.</summary>
    public const string FileName = "jwt-keys.json";

    private readonly IReadOnlyList<JwtKey> _keys;
    private readonly Dictionary<string, JwtKey> _byKeyId;
    private readonly string _jwks;

    private SigningKeys(IReadOnlyList<JwtKey> keys)
    {
        _keys = keys;
        _byKeyId = new Dictionary<string, JwtKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!_byKeyId.TryAdd(key.KeyId, key))
            {
                throw new SharpbaseStartupException($"JWT key id '{key.KeyId}' appears twice; every key needs its own kid");
            }
        }
        ValidationKeys = [.. keys.Select(k => k.SecurityKey)];
        Algorithms = [.. keys.Select(k => k.Algorithm).Distinct(StringComparer.Ordinal)];
        _jwks = WriteJwks(keys);
    }

    /// <summary>The key that signs new tokens.</summary>
    public SecurityKey SigningKey => _keys[0].SecurityKey;

    /// <summary>Every key that validates tokens, the signing key first.</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    /// <summary>The algorithm of the signing key (<c>ES256</c>, <c>RS256</c> or <c>HS256</c>).</summary>
    public string Algorithm => _keys[0].Algorithm;

    /// <summary>The algorithms of all keys: after a change of algorithm, older keys keep theirs.</summary>
    internal IReadOnlyList<string> Algorithms { get; }

    /// <summary>The public JWK set for <c>/.well-known/jwks.json</c>; never private parts, never HS256 secrets.</summary>
    public string JwksJson() => _jwks;

    /// <summary>
    /// Uses <see cref="JwtOptions.Keys"/> when given; otherwise reads the data folder's key file, or
    /// creates it with one new key. When the configured algorithm differs from that of the newest
    /// key in the file, a key of the configured algorithm is added in front.
    /// </summary>
    /// <exception cref="SharpbaseStartupException">A key or the configuration is invalid or weak.</exception>
    public static SigningKeys LoadOrCreate(string dataDirectory, JwtOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        CheckAlgorithm(options);
        if (options.Keys.Count > 0)
        {
            var configured = options.Keys.Select((json, i) => ParseConfigured(json, i)).ToList();
            if (configured[0].Algorithm != options.Algorithm)
            {
                throw new SharpbaseStartupException(
                    $"The first configured JWT key ('{configured[0].KeyId}') is {configured[0].Algorithm} but the JWT algorithm is {options.Algorithm}; set the algorithm to match the signing key");
            }
            return new SigningKeys(configured);
        }
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var created = new SigningKeys([JwtKey.Create(options.Algorithm, time.GetUtcNow())]);
            if (created.TrySave(path, replace: false))
            {
                return created;
            }
            // Another process created the file meanwhile: use its keys.
        }
        var keys = Read(path);
        if (keys[0].Algorithm != options.Algorithm)
        {
            keys = [JwtKey.Create(options.Algorithm, time.GetUtcNow()), .. keys];
            new SigningKeys(keys).TrySave(path, replace: true);
        }
        return new SigningKeys(keys);
    }

    /// <summary>
    /// Adds a new signing key in front of the data folder's key file and saves it; keys retired so
    /// long ago that no token they signed can still be valid are dropped. A running server picks the
    /// new key up when it restarts.
    /// </summary>
    /// <exception cref="SharpbaseStartupException">Keys come from configuration, or the file is invalid.</exception>
    public static SigningKeys Rotate(string dataDirectory, JwtOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        CheckAlgorithm(options);
        if (options.Keys.Count > 0)
        {
            throw new SharpbaseStartupException("JWT keys are given by configuration; rotate them there (put the new key first)");
        }
        var path = Path.Combine(dataDirectory, FileName);
        var now = time.GetUtcNow();
        var existing = File.Exists(path) ? Read(path) : [];
        // A key can still have valid tokens until the newest token it signed expires: that is, until
        // its successor has been signing for one token lifetime plus the clock skew.
        var keep = options.AccessTokenLifetime + JwtOptions.MaxClockSkew;
        var kept = new List<JwtKey> { JwtKey.Create(options.Algorithm, now) };
        for (var i = 0; i < existing.Count; i++)
        {
            var retiredAt = i == 0 ? now : existing[i - 1].Created;
            if (retiredAt is null || now - retiredAt.Value <= keep)
            {
                kept.Add(existing[i]);
            }
        }
        var keys = new SigningKeys(kept);
        keys.TrySave(path, replace: true);
        return keys;
    }

    /// <summary>The key with this id, if it exists and is for this algorithm (no key, no token).</summary>
    internal SecurityKey? FindValidationKey(string? keyId, string? algorithm) =>
        keyId is not null && _byKeyId.TryGetValue(keyId, out var key) && key.Algorithm == algorithm ? key.SecurityKey : null;

    private static void CheckAlgorithm(JwtOptions options)
    {
        if (!JwtKey.IsSupported(options.Algorithm))
        {
            throw new SharpbaseStartupException($"JWT algorithm '{options.Algorithm}' is not supported; use ES256, RS256 or HS256");
        }
    }

    private static JwtKey ParseConfigured(string json, int index)
    {
        var source = $"#{index + 1} in configuration";
        try
        {
            using var document = JsonDocument.Parse(json);
            return JwkReader.Read(document.RootElement, source);
        }
        catch (JsonException e)
        {
            throw new SharpbaseStartupException($"JWT key {source} is not valid JSON ({Position(e)})", e);
        }
    }

    private static List<JwtKey> Read(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new SharpbaseStartupException($"{path} holds private keys but others may read or write it; make it readable by its owner only (chmod 600)");
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() == 0)
            {
                throw new SharpbaseStartupException($"{path} is not a JWK set with at least one key");
            }
            return [.. keys.EnumerateArray().Select((key, i) => JwkReader.Read(key, $"#{i + 1} in {path}"))];
        }
        catch (JsonException e)
        {
            throw new SharpbaseStartupException($"{path} is not valid JSON ({Position(e)})", e);
        }
    }

    // Where the JSON breaks, not the parser's message: that quotes the broken token, which can be part of a private key.
    private static string Position(JsonException e) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}");

    /// <summary>Writes the key file atomically, owner-only; false when it exists and must not be replaced.</summary>
    private bool TrySave(string path, bool replace)
    {
        // A name of its own, so two processes starting at once cannot write into each other's file.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        {
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("keys");
                foreach (var key in _keys)
                {
                    key.WritePrivate(writer);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            stream.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temporary, path, overwrite: replace);
            return true;
        }
        catch (IOException) when (!replace && File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    private static string WriteJwks(IReadOnlyList<JwtKey> keys)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys.Where(k => k.IsPublic))
            {
                key.WritePublic(writer);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
