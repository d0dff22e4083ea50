using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sharpbase.Auth;

namespace Sharpbase.Admin;

/// <summary>
/// Weak or shared signing keys: short, textual or published HS256 secrets, one secret under two key
/// ids, and a key file others can read.
/// </summary>
internal static class SigningKeyChecks
{
    private const int MinSecretBytes = 32;

    // Secrets that tutorials and token debuggers print; a key equal to one of them is known to everyone.
    private static readonly string[] PublishedSecrets = ["your-256-bit-secret", "a-string-secret-at-least-256-bits-long", "secret", "changeme", "supersecret"];

    public static void Add(AdvisorInput input, List<Finding> findings)
    {
        var keys = new List<(string Source, JsonElement Jwk)>();
        var configured = input.Configuration.GetSection("auth:jwt:keys").GetChildren().ToList();
        var documents = new List<JsonDocument>();
        try
        {
            foreach (var entry in configured)
            {
                if (entry.Value is { } json && TryParse(json) is { } document)
                {
                    documents.Add(document);
                    keys.Add(($"auth.jwt.keys[{entry.Key}]", document.RootElement));
                }
            }
            var file = Path.Combine(input.DataDirectory, SigningKeys.FileName);
            if (configured.Count == 0 && File.Exists(file))
            {
                CheckFileMode(file, findings);
                if (TryParse(File.ReadAllText(file)) is { } document && document.RootElement.TryGetProperty("keys", out var array) && array.ValueKind == JsonValueKind.Array)
                {
                    documents.Add(document);
                    keys.AddRange(array.EnumerateArray().Select((jwk, i) => ($"key #{i + 1} in {file}", jwk)));
                }
            }
            CheckSecrets(keys, findings);
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    private static void CheckSecrets(List<(string Source, JsonElement Jwk)> keys, List<Finding> findings)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (source, jwk) in keys)
        {
            if (jwk.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var material = Member(jwk, "k") ?? Member(jwk, "d");
            if (material is null)
            {
                continue;
            }
            if (seen.TryGetValue(material, out var first))
            {
                findings.Add(new Finding("shared-signing-key", Finding.Warning, "One signing key is used under two key ids",
                    $"{source} holds the same secret as {first}", "Give every key its own freshly generated secret."));
            }
            seen.TryAdd(material, source);
            if (Member(jwk, "kty") == "oct" && Weakness(material) is { } weakness)
            {
                findings.Add(new Finding("weak-signing-key", Finding.Error, "An HS256 signing key is weak", $"{source} {weakness}: whoever guesses it can sign tokens for any account",
                    "Use ES256 (the default: keys are generated in the data folder), or an HS256 key of 32 random bytes: openssl rand -base64 32 | tr '+/' '-_' | tr -d '='"));
            }
        }
    }

    private static string? Weakness(string base64Url)
    {
        byte[] secret;
        try
        {
            secret = Base64Url.DecodeFromChars(base64Url);
        }
        catch (FormatException)
        {
            return null;
        }
        if (PublishedSecrets.Any(published => secret.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(published))))
        {
            return "is a secret published in tutorials and token debuggers";
        }
        if (secret.Length < MinSecretBytes)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is {secret.Length * 8} bits long (at least {MinSecretBytes * 8} are needed)");
        }
        // 32 random bytes are all printable ASCII with a chance of about 1 in 10^18: this is a password, not a key.
        return secret.All(b => b is >= 0x20 and < 0x7f) ? "is readable text (a password), not random bytes" : null;
    }

    private static void CheckFileMode(string file, List<Finding> findings)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var mode = File.GetUnixFileMode(file);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            findings.Add(new Finding("signing-key-file-readable", Finding.Error, "Other users can read the signing keys",
                $"{file} has mode {Convert.ToString((int)mode, 8)}", $"chmod 600 {file}"));
        }
    }

    private static string? Member(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonDocument? TryParse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
