using System.Text;
using Sharpbase.Cli;

namespace Sharpbase.Tests.Observability;

public sealed class Utf8OutputTests
{
    [Fact]
    public void TextAndUtf8Lines_ReachTheStreamInOrder_AsUtf8_OnlyWhenFlushed()
    {
        using var stream = new MemoryStream();
        using var output = new Utf8Output(stream, 64);

        output.Write("ünï ");
        // A surrogate pair written one half at a time.
        output.Write("😀"[0]);
        output.Write("😀"[1]);
        output.WriteLine(" text".AsSpan());
        output.WriteLine("{\"json\":\"é\"}"u8);
        output.Write(new StringBuilder("a builder, ").Append("in chunks"));
        Assert.Equal(0, stream.Length);

        output.Flush();

        Assert.Equal("ünï 😀 text\n{\"json\":\"é\"}\na builder, in chunks", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void FlushEveryWrite_EachWriteReachesTheStreamAtOnce_WholeSurrogatePairsOnly()
    {
        using var stream = new MemoryStream();
        using var output = new Utf8Output(stream, 64, flushEveryWrite: true);

        output.WriteLine("first".AsSpan());
        var afterFirst = Encoding.UTF8.GetString(stream.ToArray());
        output.Write("😀"[0]);
        var afterHalfPair = stream.Length;
        output.Write("😀"[1]);
        output.WriteLine("{}"u8);
        output.Write(new StringBuilder("a builder"));

        Assert.Equal("first\n", afterFirst);
        Assert.Equal(6, afterHalfPair);
        Assert.Equal("first\n😀{}\na builder", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void WritesLongerThanTheBuffer_ArriveWhole()
    {
        using var stream = new MemoryStream();
        using var output = new Utf8Output(stream, 16);
        var text = string.Concat(Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? "😀" : i % 3 == 1 ? "é" : "x"));
        var bytes = Encoding.UTF8.GetBytes(new string('b', 100));

        output.Write(text);
        output.WriteLine(bytes);
        output.Write("end");
        output.Flush();

        Assert.Equal(text + new string('b', 100) + "\nend", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task LinesFromManyThreads_AreNeverInterleaved()
    {
        using var stream = new MemoryStream();
        using var output = new Utf8Output(stream, 100);
        var writers = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                if (i % 2 == 0)
                {
                    output.WriteLine(Encoding.UTF8.GetBytes($"{t}:{i}:" + new string((char)('a' + t), 40)));
                }
                else
                {
                    output.Write(new StringBuilder().Append(t).Append(':').Append(i).Append(':').Append((char)('a' + t), 40).Append('\n'));
                }
            }
        }));

        await Task.WhenAll(writers);
        output.Flush();

        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8 * 500, lines.Length);
        Assert.All(lines, line =>
        {
            var parts = line.Split(':');
            Assert.Equal(new string((char)('a' + int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture)), 40), parts[2]);
        });
    }
}
