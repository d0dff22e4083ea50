using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sharpbase.Schema;

namespace Sharpbase.Records;

/// <summary>
/// Checks one incoming JSON value against its field and converts it to the value stored in the
/// database. No coercion: a string is never a number, a fraction never an integer.
/// </summary>
internal static class FieldValidator
{
    public const int MaxRelationIds = 1000;
    public const int MaxUrlLength = 2048;
    public const int MaxEmailLength = 254;
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const string DateFormat = "yyyy-MM-dd";

    private static readonly ConcurrentDictionary<string, string> StrictPatterns = new(StringComparer.Ordinal);

    private static readonly string[] InstantInputFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.fK", "yyyy-MM-dd'T'HH:mm:ss.ffK", "yyyy-MM-dd'T'HH:mm:ss.fffK",
    ];

    /// <summary>Validates a non-null value; returns false with a message on failure.</summary>
    public static bool TryConvert(FieldDef field, JsonElement value, out object? stored, out string? error)
    {
        stored = null;
        error = null;
        switch (field.Type)
        {
            case FieldType.Text:
            case FieldType.Email:
            case FieldType.Url:
                return TryText(field, value, out stored, out error);
            case FieldType.Integer:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var integer))
                {
                    error = value.ValueKind == JsonValueKind.Number ? "must be a whole number between -2^63 and 2^63-1" : "must be an integer";
                    return false;
                }
                stored = integer;
                return CheckRange(field, integer, out error);
            case FieldType.Number:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    error = value.ValueKind == JsonValueKind.Number ? "is out of range for a number" : "must be a number";
                    return false;
                }
                stored = number;
                return CheckRange(field, number, out error);
            case FieldType.Boolean:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    error = "must be true or false";
                    return false;
                }
                stored = value.ValueKind == JsonValueKind.True;
                return true;
            case FieldType.DateTime:
                return TryInstant(field, value, out stored, out error);
            case FieldType.Date:
                return TryDate(field, value, out stored, out error);
            case FieldType.Json:
                stored = value.GetRawText();
                return true;
            case FieldType.Uuid:
                return TryUuid(value, out stored, out error);
            case FieldType.Select:
                if (value.ValueKind != JsonValueKind.String || !field.Values.Contains(value.GetString()!))
                {
                    error = "must be one of: " + string.Join(", ", field.Values);
                    return false;
                }
                stored = value.GetString();
                return true;
            case FieldType.Relation:
                return field.Multiple ? TryRelationIds(value, out stored, out error) : TryUuid(value, out stored, out error);
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field.Type, "unknown field type");
        }
    }

    /// <summary>Formats an instant the way it is stored and returned.</summary>
    public static string FormatInstant(DateTime utc) => utc.ToString(InstantFormat, CultureInfo.InvariantCulture);

    private static bool TryText(FieldDef field, JsonElement value, out object? stored, out string? error)
    {
        stored = null;
        if (value.ValueKind != JsonValueKind.String)
        {
            error = "must be a string";
            return false;
        }
        var text = value.GetString()!;
        // NUL is refused everywhere: PostgreSQL cannot store it and it truncates text in C tooling.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            error = "must not contain NUL characters";
            return false;
        }
        var length = CountCharacters(text);
        if (field.Min is { } min && length < min)
        {
            error = $"must be at least {min.ToString(CultureInfo.InvariantCulture)} characters";
            return false;
        }
        if (field.Max is { } max && length > max)
        {
            error = $"must be at most {max.ToString(CultureInfo.InvariantCulture)} characters";
            return false;
        }
        if (field.Type == FieldType.Email && !IsEmail(text))
        {
            error = "must be a valid email address";
            return false;
        }
        if (field.Type == FieldType.Url && !IsUrl(text))
        {
            error = "must be an absolute http or https URL";
            return false;
        }
        if (field.Pattern is { } pattern && !MatchesPattern(text, pattern, out error))
        {
            return false;
        }
        stored = field.Type == FieldType.Email ? NormalizeEmail(text) : text;
        error = null;
        return true;
    }

    private static bool MatchesPattern(string text, string pattern, out string? error)
    {
        try
        {
            error = Regex.IsMatch(text, StrictEnd(pattern), RegexOptions.CultureInvariant, PatternTimeout) ? null : "does not match the required pattern";
        }
        catch (RegexMatchTimeoutException)
        {
            error = "could not be checked against the pattern in time";
        }
        return error is null;
    }

    // In .NET a `$` also matches before a final newline, so `^[A-Z]{3}$` would accept "ABC\n". A schema
    // pattern means what it means in JavaScript and JSON Schema: `$` is the end of the text (or of a
    // line under (?m)), never the spot before a trailing newline. Patterns come from the schema, so
    // the cache is bounded by it.
    private static string StrictEnd(string pattern) => StrictPatterns.GetOrAdd(pattern, static pattern =>
    {
        var result = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                result.Append(c).Append(pattern[++i]);
                continue;
            }
            if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                // A `]` right after `[` or `[^` is a literal member of the class.
                var first = i + 1 < pattern.Length && pattern[i + 1] == '^' ? i + 2 : i + 1;
                if (first < pattern.Length && pattern[first] == ']')
                {
                    first++;
                }
                result.Append(pattern, i, first - i);
                i = first - 1;
                inClass = true;
                continue;
            }
            else if (c == '(' && string.CompareOrdinal(pattern, i, "(?#", 0, 3) == 0)
            {
                var close = pattern.IndexOf(')', i);
                var end = close < 0 ? pattern.Length : close + 1;
                result.Append(pattern, i, end - i);
                i = end - 1;
                continue;
            }
            else if (c == '$')
            {
                result.Append(@"(?!\n\z)$");
                continue;
            }
            result.Append(c);
        }
        return result.ToString();
    });

    private static int CountCharacters(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    private static bool IsEmail(string text)
    {
        if (text.Length > MaxEmailLength || text.Any(char.IsWhiteSpace) || text.Any(char.IsControl))
        {
            return false;
        }
        var at = text.LastIndexOf('@');
        return at > 0 && at < text.Length - 1 && text.IndexOf('.', at) > at + 1 && !text.EndsWith('.')
            && MailAddress.TryCreate(text, out var parsed) && parsed.Address == text;
    }

    // The domain part of an address is case-insensitive; the local part is kept as given.
    private static string NormalizeEmail(string text)
    {
        var at = text.LastIndexOf('@');
        return string.Concat(text.AsSpan(0, at + 1), text[(at + 1)..].ToLowerInvariant());
    }

    private static bool IsUrl(string text) =>
        text.Length <= MaxUrlLength && !text.Any(char.IsControl) && !text.Any(char.IsWhiteSpace)
        && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    private static bool CheckRange(FieldDef field, double value, out string? error)
    {
        error = field.Min is { } min && value < min ? $"must be at least {min.ToString(CultureInfo.InvariantCulture)}"
            : field.Max is { } max && value > max ? $"must be at most {max.ToString(CultureInfo.InvariantCulture)}"
            : null;
        return error is null;
    }

    private static bool TryInstant(FieldDef field, JsonElement value, out object? stored, out string? error)
    {
        stored = null;
        if (value.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParseExact(value.GetString(), InstantInputFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            || !HasZone(value.GetString()!))
        {
            error = "must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:30:00Z (at most millisecond precision)";
            return false;
        }
        var utc = parsed.UtcDateTime;
        if (!CheckDateRange(field, utc, out error))
        {
            return false;
        }
        stored = FormatInstant(utc);
        return true;
    }

    private static bool HasZone(string text) => text.EndsWith('Z') || text.Length > 6 && text[^6] is '+' or '-';

    private static bool TryDate(FieldDef field, JsonElement value, out object? stored, out string? error)
    {
        stored = null;
        if (value.ValueKind != JsonValueKind.String
            || !DateTime.TryParseExact(value.GetString(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            error = "must be a date in the form yyyy-MM-dd";
            return false;
        }
        if (!CheckDateRange(field, DateTime.SpecifyKind(parsed, DateTimeKind.Utc), out error))
        {
            return false;
        }
        stored = parsed.ToString(DateFormat, CultureInfo.InvariantCulture);
        return true;
    }

    private static bool CheckDateRange(FieldDef field, DateTime utc, out string? error)
    {
        error = field.MinDate is { } min && utc < min ? $"must not be before {FormatInstant(min)}"
            : field.MaxDate is { } max && utc > max ? $"must not be after {FormatInstant(max)}"
            : null;
        return error is null;
    }

    private static bool TryUuid(JsonElement value, out object? stored, out string? error)
    {
        stored = null;
        if (value.ValueKind != JsonValueKind.String || !Guid.TryParseExact(value.GetString(), "D", out var guid))
        {
            error = "must be a UUID like 0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80";
            return false;
        }
        error = null;
        stored = guid.ToString("D");
        return true;
    }

    private static bool TryRelationIds(JsonElement value, out object? stored, out string? error)
    {
        stored = null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            error = "must be an array of record ids";
            return false;
        }
        if (value.GetArrayLength() > MaxRelationIds)
        {
            error = $"must hold at most {MaxRelationIds} ids";
            return false;
        }
        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (!TryUuid(item, out var id, out error))
            {
                error = "must be an array of record ids (UUIDs)";
                return false;
            }
            if (ids.Contains((string)id!))
            {
                error = $"lists '{id}' more than once";
                return false;
            }
            ids.Add((string)id!);
        }
        error = null;
        stored = ids;
        return true;
    }
}
