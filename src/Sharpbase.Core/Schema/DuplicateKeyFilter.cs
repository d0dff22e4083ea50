using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sharpbase.Schema;

/// <summary>
/// Sits between the YAML parser and the representation model: reports a key repeated in a mapping (naming
/// both lines) and drops the repeat with its value, so the model loads and every other error is still found.
/// The model alone would stop at the first repeated key. An alias (<c>*name</c>) is reported and read as
/// an empty value: a few lines of aliases of aliases stand for billions of values (a YAML "billion
/// laughs"), which reading the settings or a JSON default would expand. A value nested deeper than
/// <see cref="MaxDepth"/> stops the parse as invalid YAML: the model loads nodes recursively (a few
/// hundred thousand brackets overflowed the stack), and the parser's time grows with the square of
/// the nesting (100,000 brackets took 27 s).
/// </summary>
internal sealed class DuplicateKeyFilter(IParser inner, SchemaReadContext context) : IParser
{
    /// <summary>Deeper than any schema or settings section needs, far from what the stack holds.</summary>
    public const int MaxDepth = 64;

    private readonly Stack<Frame> _frames = new();

    // The empty value that stands in for the alias the parser is on.
    private Scalar? _replacement;

    public ParsingEvent? Current => _replacement ?? inner.Current;

    /// <summary>The last line the parser reached, to place errors that come without a position.</summary>
    public int LastLine { get; private set; } = 1;

    public bool MoveNext()
    {
        _replacement = null;
        while (inner.MoveNext())
        {
            var current = inner.Current!;
            LastLine = (int)Math.Min(current.End.Line, int.MaxValue);
            if (current is AnchorAlias alias)
            {
                context.Error((int)Math.Min(alias.Start.Line, int.MaxValue), _frames.TryPeek(out var frame) ? frame.Path : "",
                    $"aliases (*{alias.Value}) are not supported: write the value out");
                current = _replacement = Empty(alias);
            }
            else if (current is MappingStart or SequenceStart && _frames.Count >= MaxDepth)
            {
                throw new YamlException(current.Start, current.End, $"values nest deeper than {MaxDepth} levels");
            }
            if (!IsDuplicateKey(current))
            {
                Track(current);
                return true;
            }
            SkipValue();
        }
        return false;
    }

    private bool IsDuplicateKey(ParsingEvent current)
    {
        if (current is not Scalar key || !_frames.TryPeek(out var frame) || !frame.IsMapping || !frame.ExpectingKey)
        {
            return false;
        }
        var line = (int)Math.Min(key.Start.Line, int.MaxValue);
        if (frame.Keys.TryGetValue(key.Value, out var firstLine))
        {
            context.Error(line, frame.Path, $"duplicate key '{key.Value}': first on line {firstLine}, again on line {line}");
            return true;
        }
        frame.Keys.Add(key.Value, line);
        return false;
    }

    private static Scalar Empty(ParsingEvent replaced) => new(AnchorName.Empty, TagName.Empty, "", ScalarStyle.Plain, true, false, replaced.Start, replaced.End);

    private void SkipValue()
    {
        if (!inner.MoveNext())
        {
            return;
        }
        var depth = inner.Current is MappingStart or SequenceStart ? 1 : 0;
        while (depth > 0 && inner.MoveNext())
        {
            depth += inner.Current switch
            {
                MappingStart or SequenceStart => 1,
                MappingEnd or SequenceEnd => -1,
                _ => 0,
            };
        }
    }

    private void Track(ParsingEvent current)
    {
        var isNode = current is Scalar or AnchorAlias or MappingStart or SequenceStart;
        var childPath = "";
        if (isNode && _frames.TryPeek(out var parent))
        {
            childPath = parent.Advance(current);
        }
        switch (current)
        {
            case MappingStart:
                _frames.Push(new Frame(true, childPath));
                break;
            case SequenceStart:
                _frames.Push(new Frame(false, childPath));
                break;
            case MappingEnd or SequenceEnd:
                _frames.Pop();
                break;
        }
    }

    private sealed class Frame(bool isMapping, string path)
    {
        private string _currentKey = "";
        private int _index = -1;

        public bool IsMapping { get; } = isMapping;
        public string Path { get; } = path;
        public bool ExpectingKey { get; private set; } = true;
        public Dictionary<string, int> Keys { get; } = new(StringComparer.Ordinal);

        /// <summary>Moves past one child node and returns the path of the value it opens (if it is a value).</summary>
        public string Advance(ParsingEvent node)
        {
            if (!IsMapping)
            {
                _index++;
                return Join(Path, _index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (ExpectingKey)
            {
                _currentKey = node is Scalar scalar ? scalar.Value : "";
                ExpectingKey = false;
                return Path;
            }
            ExpectingKey = true;
            return Join(Path, _currentKey);
        }

        private static string Join(string path, string segment) => path.Length == 0 ? segment : $"{path}.{segment}";
    }
}
