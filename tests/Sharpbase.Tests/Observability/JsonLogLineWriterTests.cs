using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Sharpbase.Cli;
using Sharpbase.Observability;

namespace Sharpbase.Tests.Observability;

public sealed class JsonLogLineWriterTests
{
    private const string Category = "Sharpbase.Observability.RequestLoggingMiddleware";

    [Fact]
    public void Write_RequestLines_MatchTheJsonConsoleFormatterByteForByte()
    {
        var (formatter, options) = JsonFormatter(_ => { });
        var writer = JsonLogLineWriter.For(formatter, options);
        Assert.NotNull(writer);
        var lines = new List<RequestLogLine>
        {
            new("GET", "/api/{collection}/{id}", "posts", 200, Ticks(18_700), "-", "0HNQCARBG102U:00000001", "528c0c744907b8880aca33cc9fb46d74"),
            new("POST", "/auth/login", "-", 401, Ticks(500), "-", "r", "t"),
            new("DELETE", "/api/{collection}/{id}", "tags", 204, Ticks(1_500), "0192-user", "r2", "t2"),
            new("GET", "(unmatched)", "-", 404, TimeSpan.Zero, "-", "r3", "t3"),
            new("PATCH", "/api/{collection}/{id}", "posts", 500, Ticks(1_234_567_890), "ünïcödé 😀", "quote\" back\\slash <tag> & 'x'", "\u0001\u001f\u007f\u2028"),
            new("GET", "/" + new string('r', 5000), new string('c', 700), 200, Ticks(1), "-", "r4", "t4"),
            new("GET", "/x", "-", 200, TimeSpan.MaxValue, "-", "r5", "t5"),
            // Past the durations written from whole ticks, and below zero: written from the double.
            new("GET", "/x", "-", 200, Ticks(1_000_000_000_000_000), "-", "r5", "t5"),
            new("GET", "/x", "-", 200, Ticks(999_999_999_999_999), "-", "r5", "t5"),
            new("GET", "/x", "-", 200, Ticks(-15_000), "-", "r5", "t5"),
            // Past the kept capacity: the thread drops its buffers after this line, and the next starts afresh.
            new("GET", "/" + new string('é', 20_000), "-", 200, Ticks(25_000), "-", "r6", "t6"),
            new("GET", "/y", "-", 200, Ticks(35_000), "-", "r7", "t7"),
        };

        foreach (var line in lines)
        {
            Assert.Equal(Generic(formatter, line), Fast(writer, line));
        }
    }

    [Fact]
    public void Write_WritersWithDifferentEncoders_EachMatchItsFormatter()
    {
        var relaxed = JsonFormatter(o => o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var standard = JsonFormatter(_ => { });
        var line = new RequestLogLine("GET", "/api/{collection}/{id}", "pösts", 200, Ticks(18_700), "-", "r<1>", "t'2'");
        foreach (var (formatter, options) in new[] { relaxed, standard, relaxed, standard })
        {
            var writer = JsonLogLineWriter.For(formatter, options)!;

            Assert.Equal(Generic(formatter, line), Fast(writer, line));
        }
        Assert.Contains("-> 200", Fast(JsonLogLineWriter.For(relaxed.Formatter, relaxed.Options)!, line), StringComparison.Ordinal);
        Assert.Contains("-\\u003E 200", Fast(JsonLogLineWriter.For(standard.Formatter, standard.Options)!, line), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LinesOfDifferentCategories_EachCarryTheirOwn()
    {
        var (formatter, options) = JsonFormatter(_ => { });
        var writer = JsonLogLineWriter.For(formatter, options)!;
        var line = new RequestLogLine("GET", "/x", "-", 200, Ticks(10_000), "-", "r", "t");
        foreach (var category in new[] { Category, "Other<Category>", Category, "Ünïcode", new string(Category.ToCharArray()) })
        {
            Assert.Equal(Generic(formatter, line, category), Fast(writer, line, category));
        }
    }

    [Fact]
    public void Write_RandomFieldValues_MatchTheJsonConsoleFormatter()
    {
        var (formatter, options) = JsonFormatter(_ => { });
        var writer = JsonLogLineWriter.For(formatter, options)!;
        var random = new Random(20261127);
        for (var i = 0; i < 500; i++)
        {
            var line = new RequestLogLine(Text(random, 8), Text(random, 60), Text(random, 20), random.Next(100, 600), Ticks(random.NextInt64(0, (long)Math.Pow(10, random.Next(1, 19)))),
                Text(random, 40), Text(random, 30), Text(random, 32));

            Assert.Equal(Generic(formatter, line), Fast(writer, line));
        }
    }

    [Theory]
    [InlineData(18_700, "posts")]
    [InlineData(500, "-")]
    [InlineData(1_500, "tags")]
    [InlineData(1_234_567_890, "c")]
    [InlineData(0, "very-long")]
    [InlineData(-15_000, "c")]
    [InlineData(long.MaxValue, "c")]
    public void Message_IsItsFormatFilledInWithTheInvariantCulture(long ticks, string collection)
    {
        var route = collection == "very-long" ? "/" + new string('r', 5000) : "/api/{collection}/{id}";
        var line = new RequestLogLine("GET", route, collection, 200, Ticks(ticks), "ünï 😀", "0HN:1", "528c0c744907b8880aca33cc9fb46d74");

        Assert.Equal(Message(route, collection, Ticks(ticks)), line.ToString());
        Assert.Equal(Message(route, collection, Ticks(ticks)), RequestLogLine.Format(line, null));
    }

    [Fact]
    public void Message_RandomDurations_RoundedAsTheDoubleFormattedWithOneDecimal()
    {
        var random = new Random(1129);
        for (var i = 0; i < 20_000; i++)
        {
            // Every magnitude up to past the ticks written as whole numbers, many of them on a half tenth.
            var ticks = random.NextInt64(0, (long)Math.Pow(10, random.Next(1, 19)));
            if (i % 3 == 0)
            {
                ticks = ticks / 1000 * 1000 + 500 + random.Next(-1, 2);
            }
            var line = new RequestLogLine("GET", "/r", "c", 200, Ticks(ticks), "-", "q", "t");

            Assert.Equal(Message("/r", "c", Ticks(ticks), "-", "q", "t"), line.ToString());
        }
    }

    private static TimeSpan Ticks(long ticks) => TimeSpan.FromTicks(ticks);

    private static string Message(string route, string collection, TimeSpan duration, string user = "ünï 😀", string request = "0HN:1", string trace = "528c0c744907b8880aca33cc9fb46d74") =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} {1} {2} -> {3} in {4:0.0} ms (user {5}, request {6}, trace {7})",
            "GET", route, collection, 200, duration.TotalMilliseconds, user, request, trace);

    [Fact]
    public void For_OptionsItCannotMatch_IsNull()
    {
        Assert.Null(For(o => o.TimestampFormat = "HH:mm:ss "));
        Assert.Null(For(o => o.IncludeScopes = true));
        Assert.Null(For(o => o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = true }));
        var simple = new ServiceCollection().AddLogging(b => b.AddSimpleConsole()).BuildServiceProvider().GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Simple);
        Assert.Null(JsonLogLineWriter.For(simple, new JsonConsoleFormatterOptions()));
    }

    private static JsonLogLineWriter? For(Action<JsonConsoleFormatterOptions> configure)
    {
        var (formatter, options) = JsonFormatter(configure);
        return JsonLogLineWriter.For(formatter, options);
    }

    private static (ConsoleFormatter Formatter, JsonConsoleFormatterOptions Options) JsonFormatter(Action<JsonConsoleFormatterOptions> configure)
    {
        var services = new ServiceCollection().AddLogging(b => b.AddJsonConsole(configure)).BuildServiceProvider();
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
        return (formatter, services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue);
    }

    private static string Generic(ConsoleFormatter formatter, RequestLogLine line, string category = Category)
    {
        using var output = new StringWriter();
        formatter.Write(new LogEntry<RequestLogLine>(LogLevel.Information, category, RequestLogLine.EventId, line, null, RequestLogLine.Format), null, output);
        return output.ToString();
    }

    private static string Fast(JsonLogLineWriter writer, RequestLogLine line, string category = Category) =>
        Encoding.UTF8.GetString(writer.Format(LogLevel.Information, category, RequestLogLine.EventId, line)) + Environment.NewLine;

    // Any UTF-16 text, lone surrogates included: what a route value or a header could carry.
    private static string Text(Random random, int maxLength)
    {
        var text = new StringBuilder();
        var length = random.Next(maxLength + 1);
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(4) switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => (char)random.Next(0, 0x20),
                2 => (char)random.Next(0x80, 0xd800),
                _ => (char)random.Next(0xd800, 0x10000),
            });
        }
        return text.ToString();
    }
}
