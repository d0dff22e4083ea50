using Sharpbase.Rules;
using System.Text.Json;
using Sharpbase.Schema;

namespace Sharpbase.Records;

/// <summary>Turns a JSON body into a <see cref="RecordInput"/>, collecting every field's errors.</summary>
internal static class RecordInputReader
{
    private const int MaxReportedUnknown = 20;

    // A required field holds a value: not null, not an empty text, not an empty list of ids.
    private static string? MissingRequired(FieldDef field, object? stored) => !field.Required ? null : stored switch
    {
        null => field.IsMultipleRelation ? "must hold at least one id" : "is required",
        "" => "is required and cannot be empty",
        List<string> { Count: 0 } => "must hold at least one id",
        _ => null,
    };

    /// <summary>Reads a create body and applies defaults; required fields must end up set.</summary>
    public static RecordInput ReadCreate(CollectionDef collection, JsonElement body, CallerContext caller, FieldErrors errors)
    {
        var input = new RecordInput();
        // An account's id is the server's choice: a chosen one could be a deleted account's, whose
        // leftover tokens would then act as this one once it has a password.
        var allowId = !collection.Auth;
        CheckUnknown(collection, body, errors, allowId);
        if (allowId && body.TryGetProperty(SystemFields.Id, out var id))
        {
            if (id.ValueKind == JsonValueKind.String && Guid.TryParseExact(id.GetString(), "D", out var guid))
            {
                input.Id = guid.ToString("D");
            }
            else
            {
                errors.Add(SystemFields.Id, "must be a UUID like 0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80");
            }
        }
        foreach (var field in collection.Fields)
        {
            var present = body.TryGetProperty(field.Name, out var value) && value.ValueKind != JsonValueKind.Null;
            if (body.TryGetProperty(field.Name, out _) && !CanWrite(field, caller))
            {
                errors.Add(field.Name, "is read-only");
                continue;
            }
            object? stored = null;
            if (present)
            {
                if (!TryConvert(collection, field, value, out stored, out var error))
                {
                    errors.Add(field.Name, error!);
                    continue;
                }
            }
            else if (field.Default is { } fallback)
            {
                stored = DefaultValue(field, fallback, caller);
            }
            if (MissingRequired(field, stored) is { } missing)
            {
                errors.Add(field.Name, missing);
                continue;
            }
            Set(input, field, stored);
        }
        return input;
    }

    /// <summary>Reads a JSON merge patch body: only the fields present change; null clears a field.</summary>
    public static RecordInput ReadPatch(CollectionDef collection, JsonElement body, CallerContext caller, FieldErrors errors)
    {
        var input = new RecordInput();
        CheckUnknown(collection, body, errors, allowId: false);
        foreach (var field in collection.Fields)
        {
            if (!body.TryGetProperty(field.Name, out var value))
            {
                continue;
            }
            if (!CanWrite(field, caller))
            {
                errors.Add(field.Name, "is read-only");
                continue;
            }
            if (value.ValueKind == JsonValueKind.Null)
            {
                if (field.Required)
                {
                    errors.Add(field.Name, "is required and cannot be removed");
                    continue;
                }
                Set(input, field, field.IsMultipleRelation ? new List<string>() : null);
                continue;
            }
            // An account's roles, a list of names, are checked and replace the roles whole (RFC 7396 merges no array).
            if (field.Type == FieldType.Json && !AuthFields.IsRoles(collection, field))
            {
                input.JsonPatches[field.Name] = value.Clone();
                continue;
            }
            if (!TryConvert(collection, field, value, out var stored, out var error))
            {
                errors.Add(field.Name, error!);
                continue;
            }
            if (MissingRequired(field, stored) is { } missing)
            {
                errors.Add(field.Name, missing);
                continue;
            }
            Set(input, field, stored);
        }
        return input;
    }

    private static bool CanWrite(FieldDef field, CallerContext caller) => !field.Readonly || caller.IsSuperuser;

    private static void Set(RecordInput input, FieldDef field, object? stored)
    {
        if (field.IsMultipleRelation)
        {
            input.Relations[field.Name] = stored as List<string> ?? [];
        }
        else
        {
            input.Columns.Add(new KeyValuePair<string, object?>(field.Name, stored));
        }
    }

    private static object? DefaultValue(FieldDef field, FieldDefault fallback, CallerContext caller)
    {
        switch (fallback.Kind)
        {
            case DefaultKind.Now:
                return field.Type == FieldType.Date ? caller.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : FieldValidator.FormatInstant(caller.Now);
            case DefaultKind.AuthId:
                return caller.AuthId;
            default:
                using (var document = JsonDocument.Parse(fallback.LiteralJson ?? "null"))
                {
                    return document.RootElement.ValueKind == JsonValueKind.Null || !FieldValidator.TryConvert(field, document.RootElement, out var value, out _) ? null : value;
                }
        }
    }

    // An account's sign-in address is compared case-insensitively, so it is stored lower-cased
    // whole (as registration stores it); other email fields lower-case only the domain. An
    // account's roles are what rules read as @auth.roles: anything but a list of names would be
    // read as no role at all, so the superuser who set it would believe in a grant that never holds.
    private static bool TryConvert(CollectionDef collection, FieldDef field, JsonElement value, out object? stored, out string? error)
    {
        if (AuthFields.IsRoles(collection, field) && !AreRoleNames(value, out error))
        {
            stored = null;
            return false;
        }
        if (!FieldValidator.TryConvert(field, value, out stored, out error))
        {
            return false;
        }
        if (collection.Auth && field.Name == AuthFields.Email && stored is string address)
        {
            stored = address.ToLowerInvariant();
        }
        return true;
    }

    private static bool AreRoleNames(JsonElement value, out string? error)
    {
        error = $"must be an array of at most {AuthFields.MaxRoles} distinct role names, each a string of 1 to {AuthFields.MaxRoleLength} characters without surrounding spaces";
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > AuthFields.MaxRoles)
        {
            return false;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in value.EnumerateArray())
        {
            if (role.ValueKind != JsonValueKind.String || role.GetString() is not { Length: > 0 and <= AuthFields.MaxRoleLength } name
                || name.Trim().Length != name.Length || !names.Add(name))
            {
                return false;
            }
        }
        error = null;
        return true;
    }

    private static void CheckUnknown(CollectionDef collection, JsonElement body, FieldErrors errors, bool allowId)
    {
        var unknown = 0;
        foreach (var property in body.EnumerateObject())
        {
            var name = property.Name;
            if (collection.FindField(name) is not null)
            {
                continue;
            }
            if (name == SystemFields.Id && allowId)
            {
                continue;
            }
            // Client-chosen names are echoed back, so both their length and their number are bounded.
            if (++unknown <= MaxReportedUnknown)
            {
                errors.Add(EchoedText.Bound(name), SystemFields.Names.Contains(name) ? "is read-only" : "is not a field of " + collection.Name);
            }
        }
        if (unknown > MaxReportedUnknown)
        {
            errors.AddToBody($"{unknown - MaxReportedUnknown} more fields are not fields of {collection.Name}");
        }
    }
}
