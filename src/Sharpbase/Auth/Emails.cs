using System.Text.Json;
using Sharpbase.Records;
using Sharpbase.Schema;

namespace Sharpbase.Auth;

/// <summary>Sign-in addresses are compared case-insensitively: they are stored lower-cased.</summary>
internal static class Emails
{
    private static readonly FieldDef Field = AuthFields.BuiltIns[0];

    /// <summary>The lower-cased address, or null when it is not a valid email.</summary>
    public static string? Normalize(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }
        var lowered = email.Trim().ToLowerInvariant();
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(lowered, RecordsJsonContext.Default.String));
        return FieldValidator.TryConvert(Field, document.RootElement, out var stored, out _) ? (string)stored! : null;
    }
}
