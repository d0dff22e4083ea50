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
            new("GET", "/api/{collection}/{id}", "posts", 200, 1.87, "-", "0HNQCARBG102U:00000001", "528c0c744907b8880aca33cc9fb46d74"),
            new("POST", "/auth/login", "-", 401, 0.05, "-", "r", "t"),
            new("DELETE", "/api/{collection}/{id}", "tags", 204, 0.15, "0192-user", "r2", "t2"),
            new("GET", "(unmatched)", "-", 404, 0, "-", "r3", "t3"),
            new("PATCH", "/api/{collection}/{id}", "posts", 500, 123456.789012, "ünïcödé 😀", "quote\" back\\slash <tag> & 'x'", "\u0001\u001f\u007f\u2028"),
            new("GET", "/" + new string('r', 5000), new string('c', 700), 200, 1e-7, "-", "r4", "t4"),
            new("GET", "/x", "-", 200, double.MaxValue, "-", "r5", "t5"),
            // Past the kept capacity: the thread drops its buffers after this line, and the next starts afresh.
            new("GET", "/" + new string('é', 20_000), "-", 200, 2.5, "-", "r6", "t6"),
            new("GET", "/y", "-", 200, 3.5, "-", "r7", "t7"),
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
        var line = new RequestLogLine("GET", "/api/{collection}/{id}", "pösts", 200, 1.87, "-", "r<1>", "t'2'");
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
        var line = new RequestLogLine("GET", "/x", "-", 200, 1, "-", "r", "t");
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
            var line = new RequestLogLine(Text(random, 8), Text(random, 60), Text(random, 20), random.Next(100, 600), random.NextDouble() * Math.Pow(10, random.Next(-6, 7)),
                Text(random, 40), Text(random, 30), Text(random, 32));

            Assert.Equal(Generic(formatter, line), Fast(writer, line));
        }
    }

    [Theory]
    [InlineData(1.87, "posts")]
    [InlineData(0.05, "-")]
    [InlineData(0.15, "tags")]
    [InlineData(123456.789012, "c")]
    [InlineData(0.0, "very-long")]
    public void Message_IsItsFormatFilledInWithTheInvariantCulture(double durationMs, string collection)
    {
        var route = collection == "very-long" ? "/" + new string('r', 5000) : "/api/{collection}/{id}";
        var line = new RequestLogLine("GET", route, collection, 200, durationMs, "ünï 😀", "0HN:1", "528c0c744907b8880aca33cc9fb46d74");
        var expected = string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} {1} {2} -> {3} in {4:0.0} ms (user {5}, request {6}, trace {7})",
            "GET", route, collection, 200, durationMs, "ünï 😀", "0HN:1", "528c0c744907b8880aca33cc9fb46d74");

        Assert.Equal(expected, line.ToString());
        Assert.Equal(expected, RequestLogLine.Format(line, null));
    }

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
