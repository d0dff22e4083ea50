using System.Text;
using System.Text.Json;
using Npgsql;
using Sharpbase.Storage.Postgres;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Storage;

/// <summary>
/// On PostgreSQL a record's text is written to JSON from the bytes Npgsql received, without making a
/// string of them. The JSON must be byte for byte what writing the decoded string gives, for any
/// text; a column that is not <c>text</c> (whose bytes are another encoding) must go the string way.
/// </summary>
public sealed class PostgresTextWritingTests
{
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("v");

    [Fact]
    public async Task WriteText_RandomTexts_SameJsonAsTheDecodedString()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(database.Setting);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE texts (n INTEGER PRIMARY KEY, t TEXT COLLATE \"C\", v VARCHAR, j JSONB)");
        var random = new Random(20261130);
        // Around the 4,096-byte scratch buffer, a long text for the pooled buffer, and one of 80,000
        // bytes, more than the pooled buffer takes (decoded into a string).
        List<string> texts =
        [
            string.Empty, "plain ascii", .. Enumerable.Range(0, 300).Select(_ => RandomText(random, 0, 300)),
            new('a', 4095), new('a', 4096), new('a', 4097), new string('a', 4095) + "é", RandomText(random, 10_000, 16_000), new('é', 40_000),
        ];
        for (var i = 0; i < texts.Count; i++)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO texts VALUES ($1, $2, $2, to_jsonb($2::text))", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = i });
            insert.Parameters.Add(new NpgsqlParameter { Value = texts[i] });
            await insert.ExecuteNonQueryAsync();
        }

        var dialect = new PostgresDialect();
        await using var select = new NpgsqlCommand("SELECT t, v, j FROM texts ORDER BY n", connection);
        await using var reader = await select.ExecuteReaderAsync();
        var row = 0;
        while (await reader.ReadAsync())
        {
            for (var ordinal = 0; ordinal < 3; ordinal++)
            {
                var written = Json(writer => dialect.WriteText(writer, Name, reader, ordinal));
                var expected = Json(writer => writer.WriteString(Name, reader.GetString(ordinal)));
                Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(written));
            }
            using var parsed = JsonDocument.Parse(Json(writer => dialect.WriteText(writer, Name, reader, 0)));
            Assert.Equal(texts[row], parsed.RootElement.GetProperty("v").GetString());
            row++;
        }
        Assert.Equal(texts.Count, row);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    // Characters from every class the JSON writer treats apart: control characters (PostgreSQL
    // text cannot hold NUL), characters escaped for HTML, two- and three-byte UTF-8, the line separators
    // JavaScript treats as line ends, and characters outside the BMP (a surrogate pair each).
    private static string RandomText(Random random, int minLength, int maxLength)
    {
        var length = random.Next(minLength, maxLength);
        var text = new StringBuilder(length + 1);
        while (text.Length < length)
        {
            switch (random.Next(8))
            {
                case 0:
                    text.Append((char)random.Next(1, 0x20));
                    break;
                case 1:
                    text.Append("\"\\/<>&'+`"[random.Next(9)]);
                    break;
                case 2:
                    text.Append((char)random.Next(0x80, 0x800));
                    break;
                case 3:
                    text.Append((char)random.Next(0x800, 0xD800));
                    break;
                case 4:
                    text.Append((char)random.Next(0xE000, 0x10000));
                    break;
                case 5:
                    text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
                case 6:
                    text.Append(random.Next(2) == 0 ? '\u2028' : '\u2029');
                    break;
                default:
                    text.Append((char)random.Next(0x20, 0x7F));
                    break;
            }
        }
        return text.ToString();
    }
}
