using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sharpbase.Errors;
using Sharpbase.Hosting;
using Sharpbase.Json;

namespace Sharpbase.Auth;

/// <summary>Strict small JSON bodies of the auth endpoints: only the named members, each a string (or boolean where said).</summary>
internal sealed class AuthBody : IDisposable
{
    private readonly JsonDocument _document;

    private AuthBody(JsonDocument document) => _document = document;

    public JsonElement Root => _document.RootElement;

    /// <summary>Reads the body; members outside <paramref name="allowed"/> are refused unless <paramref name="allowOthers"/>.</summary>
    public static async Task<(AuthBody? Body, Problem? Problem)> ReadAsync(HttpContext context, string[] allowed, bool allowOthers = false)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<SharpbaseOptions>>().Value;
        var (document, _, problem) = await JsonBody.ReadAsync(context.Request, options.MaxBodyBytes, options.MaxJsonDepth, context.RequestAborted);
        if (problem is not null)
        {
            return (null, problem);
        }
        if (document!.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, InvalidBody("the body must be a JSON object"));
        }
        if (!allowOthers)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!allowed.Contains(property.Name))
                {
                    var name = property.Name.Length > 64 ? property.Name[..64] : property.Name;
                    document.Dispose();
                    return (null, Invalid(name, "is not accepted here; expected " + string.Join(", ", allowed)));
                }
            }
        }
        return (new AuthBody(document), null);
    }

    /// <summary>A string member; null when absent. A present non-string is reported in <paramref name="errors"/>.</summary>
    public string? String(string name, Dictionary<string, List<string>> errors, bool required = true)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[name] = ["is required"];
            }
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = ["must be a string"];
            return null;
        }
        return value.GetString();
    }

    public bool Boolean(string name, Dictionary<string, List<string>> errors)
    {
        if (!Root.TryGetProperty(name, out var value))
        {
            return false;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        errors[name] = ["must be true or false"];
        return false;
    }

    public static Problem Invalid(string field, string message) => Invalid(new Dictionary<string, List<string>> { [field] = [message] });

    /// <summary>A body wrong as a whole, not in one member: said in the detail, since a key in <c>errors</c> names a member.</summary>
    public static Problem InvalidBody(string message) =>
        new(StatusCodes.Status422UnprocessableEntity, ProblemCodes.ValidationFailed, "the request is not valid: " + message);

    public static Problem Invalid(Dictionary<string, List<string>> errors) =>
        new(StatusCodes.Status422UnprocessableEntity, ProblemCodes.ValidationFailed, "the request is not valid; see errors for each field") { Errors = errors };

    public void Dispose() => _document.Dispose();
}
