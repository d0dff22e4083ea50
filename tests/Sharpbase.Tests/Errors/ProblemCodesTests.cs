using System.Reflection;
using Sharpbase.Errors;
using Sharpbase.GraphQL;
using Sharpbase.Query;

namespace Sharpbase.Tests.Errors;

/// <summary>The README's table of problem codes (section "Validation and errors") against the codes the server has.</summary>
public sealed class ProblemCodesTests
{
    private const string TableHeader = "| status | code | when |";

    // A code may have a row for each status it comes with (bad_request: 400 and 408).
    [Fact]
    public void ReadmeTable_ListsEveryCodeAndNoOther()
    {
        var documented = ReadmeRows().SelectMany(row => row.Codes).Distinct(StringComparer.Ordinal);

        Assert.Equal(Codes().Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReadmeTable_EveryRowHasAnErrorStatusAndSaysWhen()
    {
        var rows = ReadmeRows();

        Assert.NotEmpty(rows);
        Assert.All(rows, row =>
        {
            Assert.InRange(row.Status, 400, 599);
            Assert.NotEmpty(row.Codes);
            Assert.False(string.IsNullOrWhiteSpace(row.When));
        });
    }

    // Codes are snake_case; ProblemCodes also holds the quota-exceeded type URI, which is no code.
    private static IEnumerable<string> Codes() =>
        new[] { typeof(ProblemCodes), typeof(GraphQLCodes), typeof(QueryErrorCodes) }
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!)
            .Where(value => value.All(c => char.IsAsciiLetterLower(c) || c == '_'));

    private static List<(int Status, string[] Codes, string When)> ReadmeRows()
    {
        var lines = File.ReadAllLines(ReadmePath());
        var header = Array.IndexOf(lines, TableHeader);
        Assert.True(header >= 0, $"README.md has no line '{TableHeader}'");
        return
        [
            .. lines.Skip(header + 2).TakeWhile(line => line.StartsWith('|')).Select(line =>
            {
                var cells = line.Split('|', StringSplitOptions.TrimEntries);
                var codes = cells[2].Split(',', StringSplitOptions.TrimEntries).Select(code => code.Trim('`')).ToArray();
                return (int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture), codes, cells[3]);
            }),
        ];
    }

    private static string ReadmePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sharpbase.slnx")))
            {
                return Path.Combine(dir.FullName, "README.md");
            }
        }
        throw new FileNotFoundException("no Sharpbase.slnx above the test output folder");
    }
}
