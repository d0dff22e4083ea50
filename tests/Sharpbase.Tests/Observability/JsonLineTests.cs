using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Sharpbase.Observability;

namespace Sharpbase.Tests.Observability;

/// <summary>JsonLine against Utf8JsonWriter with the same options: the same bytes for every value, or the same refusal.</summary>
public sealed class JsonLineTests
{
    public static TheoryData<string> Encoders => new() { "none", "default", "relaxed", "latin-and-cyrillic" };

    [Theory]
    [MemberData(nameof(Encoders))]
    public void String_RandomText_IsWhatUtf8JsonWriterWrites(string encoder)
    {
        var options = Options(encoder);
        var line = new JsonLine(options);
        var random = new Random(20261129);
        for (var i = 0; i < 2_000; i++)
        {
            var text = Text(random, 80);

            Assert.Equal(Outcome(() => Expected(options, w => w.WriteStringValue(text))), Outcome(() => Written(line, l => l.String(text))));
        }
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void String_EveryAsciiCharacterAndSurrogateEdges_IsWhatUtf8JsonWriterWrites(string encoder)
    {
        var options = Options(encoder);
        var line = new JsonLine(options);
        var ascii = new string(Enumerable.Range(0, 128).Select(c => (char)c).ToArray());
        var texts = new[]
        {
            "", ascii, ascii + ascii, "a -> b <c> & 'd' \"e\" \\f +g `h`", "\ud83d\ude00", "x\ud83dy", "\ude00x", "x\ud83d", "é<é>é",
            new string('>', 300), new string('a', 5000) + "<" + new string('b', 5000), "\u2028\u2029\u00a0\ufeff\uffff",
        };
        foreach (var text in texts)
        {
            Assert.Equal(Outcome(() => Expected(options, w => w.WriteStringValue(text))), Outcome(() => Written(line, l => l.String(text))));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e300)]
    [InlineData(1.87)]
    [InlineData(1e-7)]
    [InlineData(123456.789012)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(-42.5)]
    public void Number_Double_IsWhatUtf8JsonWriterWrites(double value)
    {
        var options = Options("none");

        Assert.Equal(Expected(options, w => w.WriteNumberValue(value)), Written(new JsonLine(options), l => l.Number(value)));
    }

    [Fact]
    public void Number_RandomDoublesAndLongs_AreWhatUtf8JsonWriterWrites()
    {
        var options = Options("none");
        var line = new JsonLine(options);
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var real = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (double.IsFinite(real))
            {
                Assert.Equal(Expected(options, w => w.WriteNumberValue(real)), Written(line, l => l.Number(real)));
            }
            var whole = random.NextInt64(long.MinValue, long.MaxValue);
            Assert.Equal(Expected(options, w => w.WriteNumberValue(whole)), Written(line, l => l.Number(whole)));
        }
    }

    [Fact]
    public void FixedPoint_BelowTenToTheFifteen_IsWhatUtf8JsonWriterWritesForTheNearestDouble()
    {
        var options = Options("none");
        var line = new JsonLine(options);
        var random = new Random(29);
        long[] edges = [0, 1, 9, 10, 99, 100, 10_000, 10_001, 99_999_999_999_999, 999_999_999_999_999, 123_456_789_012_345, 100_000_000_000_000];
        for (var i = 0; i < 4_000; i++)
        {
            var value = i < edges.Length ? edges[i] : random.NextInt64(0, (long)Math.Pow(10, random.Next(1, 16)));
            var scale = random.Next(0, 9);
            // The value and the power of ten are exact doubles, and the division rounds once: the double nearest the decimal.
            var nearest = value / Math.Pow(10, scale);

            var expected = Expected(options, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("n", nearest);
                w.WriteEndObject();
            });
            Assert.Equal(expected, Written(line, l =>
            {
                l.StartObject();
                l.FixedPoint("\"n\":"u8, value, scale);
                l.EndObject();
            }));
        }
    }

    [Theory]
    [InlineData(-1L, 4)]
    [InlineData(1L, -1)]
    [InlineData(1L, 19)]
    public void FixedPoint_NegativeValueOrScaleOutOfRange_IsRefused(long value, int scale)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JsonLine(Options("none")).FixedPoint("\"n\":"u8, value, scale));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Number_NotFinite_IsRefusedAsUtf8JsonWriterRefusesIt(double value)
    {
        var options = Options("none");

        Assert.ThrowsAny<ArgumentException>(() => Expected(options, w => w.WriteNumberValue(value)));
        Assert.ThrowsAny<ArgumentException>(() => new JsonLine(options).Number(value));
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Objects_NestedWithNamesAndValues_AreWhatUtf8JsonWriterWrites(string encoder)
    {
        var options = Options(encoder);
        var name = JsonEncodedText.Encode("Name");
        var expected = Expected(options, w =>
        {
            w.WriteStartObject();
            w.WriteNumber(name, 1);
            w.WriteString("{Odd <name>}", "v>1");
            w.WriteStartObject("Inner");
            w.WriteString(name, "é");
            w.WriteNumber("n", 2.5);
            w.WriteEndObject();
            w.WriteStartObject("Empty");
            w.WriteEndObject();
            w.WriteString("last", "");
            w.WriteEndObject();
        });
        var line = new JsonLine(options);
        var first = Written(line, l =>
        {
            l.StartObject();
            l.Name("\"Name\":"u8);
            l.Number(1);
            l.Name("{Odd <name>}");
            l.String("v>1");
            l.Name("Inner");
            l.StartObject();
            l.Name("\"Name\":"u8);
            l.String("é");
            l.Name("n");
            l.Number(2.5);
            l.EndObject();
            l.Name("Empty");
            l.StartObject();
            l.EndObject();
            l.Name("last");
            l.String("");
            l.EndObject();
        });

        Assert.Equal(expected, first);
    }

    [Fact]
    public void Clear_AfterALongLine_StartsAfreshWithTheBufferItGrew()
    {
        var line = new JsonLine(Options("none"));
        line.String(new string('x', 100_000));
        var grown = line.Capacity;
        line.Clear();
        line.String("y");

        Assert.Equal("\"y\"", Encoding.UTF8.GetString(line.Written));
        Assert.True(grown >= 100_002);
        Assert.Equal(grown, line.Capacity);
    }

    private static JsonWriterOptions Options(string encoder) => new()
    {
        Encoder = encoder switch
        {
            "none" => null,
            "default" => JavaScriptEncoder.Default,
            "relaxed" => JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            _ => JavaScriptEncoder.Create(UnicodeRanges.BasicLatin, UnicodeRanges.Latin1Supplement, UnicodeRanges.Cyrillic),
        },
    };

    private static string Expected(JsonWriterOptions options, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, options))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // The text written, or the kind of exception that refused it.
    private static string Outcome(Func<string> write)
    {
        try
        {
            return write();
        }
        catch (ArgumentException e)
        {
            return "refused: " + e.GetType().Name;
        }
        catch (InvalidOperationException e)
        {
            return "refused: " + e.GetType().Name;
        }
    }

    private static string Written(JsonLine line, Action<JsonLine> write)
    {
        line.Clear();
        write(line);
        return Encoding.UTF8.GetString(line.Written);
    }

    // Any UTF-16 text, lone surrogates and valid pairs included, weighted towards the characters encoders escape.
    private static string Text(Random random, int maxLength)
    {
        var text = new StringBuilder();
        var length = random.Next(maxLength + 1);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(6))
            {
                case 0:
                    text.Append((char)random.Next(0x20, 0x7f));
                    break;
                case 1:
                    text.Append("<>&'\"\\+`"[random.Next(8)]);
                    break;
                case 2:
                    text.Append((char)random.Next(0, 0x20));
                    break;
                case 3:
                    text.Append((char)random.Next(0x80, 0xd800));
                    break;
                case 4:
                    text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
                default:
                    text.Append((char)random.Next(0xd800, 0x10000));
                    break;
            }
        }
        return text.ToString();
    }
}
