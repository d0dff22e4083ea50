using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Sharpbase.Schema;

namespace Sharpbase.Hosting;

/// <summary>
/// The keys a settings section may hold, taken from the public properties of the options type it
/// binds to. The binder ignores a key that matches no property, so a misspelt one
/// (<c>server: { max_page_siz: 50 }</c>, or <c>SHARPBASE__SERVER__MAXPAGESIZ</c>) would silently not
/// apply; <see cref="Check"/> names each such key, with the setting it probably meant.
/// </summary>
internal sealed class SettingsShape
{
    private static readonly SettingsShape Value = new(ShapeKind.Value);
    private static readonly SettingsShape Values = new(ShapeKind.List) { _item = Value };
    private static readonly SettingsShape Free = new(ShapeKind.Free);

    private readonly ShapeKind _kind;
    private readonly Dictionary<string, (string Name, SettingsShape Shape)> _properties = new(StringComparer.OrdinalIgnoreCase);
    private SettingsShape? _item;

    private SettingsShape(ShapeKind kind) => _kind = kind;

    private enum ShapeKind
    {
        Value,
        List,
        Section,
        Free,
    }

    /// <summary>A single value (a number, a duration, a text).</summary>
    public static SettingsShape Scalar => Value;

    /// <summary>
    /// The section bound to <typeparamref name="T"/>: one key per public property, spelt as the file
    /// spells it (<c>MaxPageSize</c> is <c>max_page_size</c>). A property of a class type is given in
    /// <paramref name="nested"/>; any other that is a collection holds a list of values.
    /// </summary>
    public static SettingsShape Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(params (string Property, SettingsShape Shape)[] nested)
    {
        var shape = new SettingsShape(ShapeKind.Section);
        foreach (var property in typeof(T).GetProperties())
        {
            var given = nested.Where(n => n.Property == property.Name).Select(n => n.Shape).FirstOrDefault();
            var isList = property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType);
            shape._properties[property.Name] = (SnakeCase(property.Name), given ?? (isList ? Values : Value));
        }
        return shape;
    }

    /// <summary>Any keys at all: a section whose keys are names of the user's choosing (log categories).</summary>
    public static SettingsShape Any => Free;

    /// <summary>A section of the given keys, for a section no options type is bound to.</summary>
    public static SettingsShape Section(params (string Property, SettingsShape Shape)[] properties)
    {
        var shape = new SettingsShape(ShapeKind.Section);
        foreach (var (property, given) in properties)
        {
            shape._properties[property] = (SnakeCase(property), given);
        }
        return shape;
    }

    /// <summary>This section without the given properties: those the host sets itself, whatever configuration says.</summary>
    public SettingsShape Without(params string[] properties)
    {
        foreach (var property in properties)
        {
            _properties.Remove(property);
        }
        return this;
    }

    /// <summary>A list whose every item has <paramref name="item"/>'s shape.</summary>
    public static SettingsShape ListOf(SettingsShape item) => new(ShapeKind.List) { _item = item };

    /// <summary>Adds a message to <paramref name="errors"/> for each key under <paramref name="section"/> that this shape does not hold.</summary>
    public void Check(IConfigurationSection section, string fileName, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(errors);
        if (_kind == ShapeKind.Free)
        {
            return;
        }
        // The binder ignores a single value where it expects a list or a section (trusted_proxies: "10.0.0.1").
        if (_kind != ShapeKind.Value && !string.IsNullOrEmpty(section.Value))
        {
            errors.Add(_kind == ShapeKind.List
                ? $"'{section.Path}' is a list, not a single value: give its items ({fileName}: [ … ], or {EnvironmentName(section.Path, "0")} for the first)"
                : $"'{section.Path}' is a section, not a single value: give its settings by name");
        }
        foreach (var child in section.GetChildren())
        {
            switch (_kind)
            {
                case ShapeKind.Value:
                    errors.Add($"'{section.Path}' takes a single value, not a section or a list ('{child.Path}' given)");
                    return;
                case ShapeKind.List when int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _):
                    _item!.Check(child, fileName + "[" + child.Key + "]", errors);
                    break;
                case ShapeKind.List:
                    errors.Add($"'{section.Path}' is a list: '{child.Path}' is not one of its items");
                    break;
                default:
                    if (_properties.TryGetValue(SettingsSections.ConfigurationKey(child.Key), out var property))
                    {
                        property.Shape.Check(child, fileName + "." + property.Name, errors);
                    }
                    else
                    {
                        // Compared as configuration compares them: without underscores, in any case.
                        var closest = Closest(SettingsSections.ConfigurationKey(child.Key).ToLowerInvariant());
                        var hint = closest is null ? "" : $" (did you mean {fileName}.{_properties[closest].Name}, or {EnvironmentName(section.Path, closest)}?)";
                        errors.Add($"unknown setting '{child.Path}'{hint}; {fileName} holds: {string.Join(", ", _properties.Values.Select(p => p.Name).Order(StringComparer.Ordinal))}");
                    }
                    break;
            }
        }
    }

    // The one name this key begins (accesstokenlife for accesstokenlifetime), else one within two edits.
    private string? Closest(string key)
    {
        var extended = _properties.Keys.Where(k => k.StartsWith(key, StringComparison.OrdinalIgnoreCase)).ToList();
        return key.Length >= 4 && extended.Count == 1 ? extended[0] : NameSuggestions.Closest(key, _properties.Keys.Select(k => k.ToLowerInvariant()));
    }

    // MaxPageSize → max_page_size; a key already in snake case (or all lower case) stays as it is.
    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
            {
                text.Append('_');
            }
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    private static string EnvironmentName(string path, string key) =>
        SettingsSections.EnvironmentPrefix + string.Join("__", path.Split(':').Select(part => SettingsSections.ConfigurationKey(part).ToUpperInvariant())) + "__" + key.ToUpperInvariant();
}
