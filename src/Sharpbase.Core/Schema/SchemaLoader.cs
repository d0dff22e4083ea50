using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>Loads and validates a schema file (<c>sharpbase.yaml</c>, or the same content as JSON).</summary>
public static class SchemaLoader
{
    /// <summary>
    /// Loads and validates a schema file (YAML, or JSON — YamlDotNet parses JSON too). Never throws for bad
    /// content: every problem, including a file that cannot be read (line 0), is a diagnostic.
    /// </summary>
    /// <param name="path">The file to read; diagnostics name it as given.</param>
    public static SchemaLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new SchemaLoadResult(null, [new SchemaDiagnostic(path, 0, "", $"cannot read the schema file: {ex.Message}")]);
        }
        return Parse(text, path);
    }

    /// <summary>Parses and validates schema text; <paramref name="fileName"/> is used in diagnostics and as the source path.</summary>
    /// <param name="text">The YAML or JSON content.</param>
    /// <param name="fileName">The name diagnostics show, such as <c>sharpbase.yaml</c>.</param>
    public static SchemaLoadResult Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var context = new SchemaReadContext(fileName);
        var root = ParseYaml(text, context);
        var schema = context.HasErrors && root is null ? null : SchemaReader.Read(root, fileName, context);
        return new SchemaLoadResult(context.HasErrors ? null : schema, context.SortedDiagnostics());
    }

    private static YamlNode? ParseYaml(string text, SchemaReadContext context)
    {
        // A byte order mark left in text read without decoding would become part of the first key.
        var filter = new DuplicateKeyFilter(new Parser(new StringReader(text.TrimStart('\uFEFF'))), context);
        var stream = new YamlStream();
        try
        {
            stream.Load(filter);
        }
        catch (YamlException ex)
        {
            context.Error((int)Math.Min(ex.Start.Line, int.MaxValue), "", $"invalid YAML: {ex.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 16 throws this instead of a YamlException for some unclosed flow collections.
            context.Error(filter.LastLine, "", "invalid YAML: unexpected end of a flow collection; check for a missing ']' or '}'");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            context.Error(YamlNodes.Line(stream.Documents[1].RootNode), "", "a schema file holds one YAML document; remove the extra '---'");
        }
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }
}
