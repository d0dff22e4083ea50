using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Sharpbase.Tests.Admin;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Process;

[Collection(ProcessTestGroup.Name)]
public sealed class DoctorCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<CliResult> RunAsync(params string[] args) => SharpbaseProcess.RunAsync(_folder.Path, null, args);

    [Fact]
    public async Task Doctor_CarelessSchemaAndRollbackJournalFile_ReportsEachFindingAsJsonAndExitsOne()
    {
        var schema = _folder.Write("sharpbase.yaml", AdvisorSchemas.Careless("""
              docs: { enabled: true }
              graphql: { introspection: true }
            """));
        var data = _folder.Combine("data");
        Directory.CreateDirectory(data);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "data.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=DELETE; CREATE TABLE t (x INTEGER)";
            command.ExecuteNonQuery();
        }

        var json = await RunAsync("doctor", "--schema", schema, "--data", data, "--json");
        var text = await RunAsync("doctor", "--schema", schema, "--data", data);

        Assert.True(json.ExitCode == 1, json.ToString());
        var ids = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.Equal(["anonymous-write", "anonymous-write", "auth-rate-limit", "cors-wildcard", "graphql-rate-limit", "public-docs", "public-introspection", "sqlite-not-wal",
            "sqlite-synchronous", "trusted-proxies-wide", "weak-signing-key"],
            ids.Order(StringComparer.Ordinal));
        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.Contains("error   sqlite-not-wal: The SQLite database is not in WAL mode", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("fix:      Add to settings.rate_limits", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("11 finding(s)", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(AdvisorSchemas.PublishedSecret, json.Stdout + text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_BlogExample_ReportsNothingAndExitsZero()
    {
        var result = await RunAsync("doctor", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", _folder.Combine("data"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("No findings.", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("on")]
    [InlineData("off")]
    public async Task Doctor_BlogExampleOnPostgres_ReportsTheServersDurabilitySettingsOnly(string synchronousCommit)
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        // Sharpbase's sessions take synchronous_commit from the connection; fsync and full_page_writes are the server's.
        var setting = new NpgsqlConnectionStringBuilder(database.Setting) { Options = "-c synchronous_commit=" + synchronousCommit }.ConnectionString;
        List<string> expected;
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(setting) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            expected = await AdvisorSchemas.DurabilityFindingsAsync(connection);
        }

        var result = await SharpbaseProcess.RunAsync(_folder.Path, new Dictionary<string, string> { ["SHARPBASE__DATABASE"] = setting },
            "doctor", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", _folder.Combine("data"), "--json");

        var ids = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToList();
        Assert.Equal(expected, ids);
        Assert.Equal(synchronousCommit == "off", ids.Contains("postgres-synchronous-commit"));
        Assert.True(result.ExitCode == (ids.Any(id => id is "postgres-fsync" or "postgres-full-page-writes") ? 1 : 0), result.ToString());
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(setting).Password!, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_UnknownSettingsKeys_ReportsEachAsAnError()
    {
        var schema = _folder.Write("sharpbase.yaml", AdvisorSchemas.Careless("""
              graphql: { max_dept: 5 }
            """));

        var result = await SharpbaseProcess.RunAsync(_folder.Path, new Dictionary<string, string> { ["SHARPBASE__SERVER__MAXPAGESIZ"] = "50" },
            "doctor", "--schema", schema, "--data", _folder.Combine("data"), "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var unknown = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("id").GetString() == "unknown-setting").Select(f => f.GetProperty("evidence").GetString()!).ToList();
        Assert.Collection(unknown,
            evidence => Assert.StartsWith("unknown setting 'server:MAXPAGESIZ' (did you mean server.max_page_size, or SHARPBASE__SERVER__MAXPAGESIZE?)", evidence, StringComparison.Ordinal),
            evidence => Assert.StartsWith("unknown setting 'graphql:maxdept' (did you mean graphql.max_depth, or SHARPBASE__GRAPHQL__MAXDEPTH?)", evidence, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DoctorUrl_RunningServer_AsksItsAdvisorWithASuperuserToken()
    {
        var data = _folder.Combine("data");
        var schema = _folder.Write("sharpbase.yaml", AdvisorSchemas.Careless());
        var created = await RunAsync("superuser", "create", "root@example.com", "--password", "a long secret", "--schema", schema, "--data", data);
        Assert.True(created.ExitCode == 0, created.ToString());
        using var server = await SharpbaseProcess.ServeAsync(_folder.Path, schema, data, "notes");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var login = await client.PostAsJsonAsync("/auth/superuser/login", new { email = "root@example.com", password = "a long secret" });
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;

        var asked = await RunAsync("doctor", "--url", server.BaseAddress.ToString(), "--token", token);
        var refused = await RunAsync("doctor", "--url", server.BaseAddress.ToString());

        Assert.True(asked.ExitCode == 1, asked.ToString());
        Assert.Contains("warning superuser-without-mfa", asked.Stdout, StringComparison.Ordinal);
        Assert.Contains("error   auth-rate-limit", asked.Stdout, StringComparison.Ordinal);
        Assert.True(refused.ExitCode == 2 && refused.Stderr.Contains("401", StringComparison.Ordinal), refused.ToString());
    }
}
