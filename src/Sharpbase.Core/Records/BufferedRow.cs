using System.Buffers;
using System.Data.Common;
using System.Text.Json;

namespace Sharpbase.Records;

/// <summary>
/// A record written into its own buffer with its object still open, waiting for the expansions
/// of its relations before it is closed.
/// </summary>
internal sealed class BufferedRow : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public BufferedRow(DbDataReader reader, RecordShape shape, IReadOnlyList<ExpandNode> children)
    {
        Writer = new Utf8JsonWriter(_buffer);
        Id = reader.GetString(0);
        shape.WriteRow(reader, Writer, close: false);
        Relations = new string?[children.Count];
        for (var i = 0; i < children.Count; i++)
        {
            var ordinal = shape.ColumnCount + i;
            Relations[i] = reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        }
    }

    public string Id { get; }

    /// <summary>Per expanded relation: the id, or for a to-many relation the JSON array of ids.</summary>
    public string?[] Relations { get; }

    public Utf8JsonWriter Writer { get; }

    /// <summary>The finished record; valid after the writer has closed the object.</summary>
    public ReadOnlyMemory<byte> Json
    {
        get
        {
            Writer.Flush();
            return _buffer.WrittenMemory;
        }
    }

    public void Dispose() => Writer.Dispose();
}
