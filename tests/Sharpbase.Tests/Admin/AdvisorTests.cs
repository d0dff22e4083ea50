using System.Net;
using System.Text.Json;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Admin;

/// <summary>The advisor over HTTP, on each database: every finding made to trip, and none for the blog example.</summary>
public abstract class AdvisorTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private static bool OnPostgres => typeof(TDatabase) == typeof(Postgres);

    private SharpbaseServer? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Advisor_Anonymous_Answers401Problem()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);

        using var response = await _server.GetAsync("/admin/advisor");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthorized", (await response.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Advisor_SignedInUser_Answers403Problem()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);
        var user = await AuthTestAccounts.UserAsync(_server, "users", "reader@example.com");

        using var response = await _server.GetAsync("/admin/advisor", user.Bearer);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await response.JsonAsync()).GetProperty("code").GetString());
        Assert.DoesNotContain("findings", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Advisor_CarelessSchemaSettingsAndTraffic_ReportsEachFindingWithEvidenceAndFix()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(AdvisorSchemas.Careless(), dev: false);
        var root = await AuthTestAccounts.SuperuserAsync(_server);
        for (var i = 0; i < 3; i++)
        {
            await _server.CreateAsync("notes", $$"""{"title":"n{{i}}","score":{{i * 4}}}""");
        }
        for (var i = 0; i < Sharpbase.Admin.Advisor.OftenRuns; i++)
        {
            using var filtered = await _server.GetAsync("/api/notes?filter=" + Uri.EscapeDataString("score > 5"));
            Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
            using var counted = await _server.GetAsync("/api/notes?count=true");
            Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        }
        var findings = await FindingsAsync(root);

        // sqlite_synchronous: normal lowers the SQLite writer; PostgreSQL is judged by its own settings.
        string[] expected = [.. new[] { "anonymous-write", "anonymous-write", "auth-rate-limit", "cors-wildcard", "graphql-rate-limit", "missing-index", "public-count", "superuser-without-mfa", "trusted-proxies-wide", "weak-signing-key" }
            .Concat(OnPostgres ? await DurabilityFindingsAsync() : ["sqlite-synchronous"]).Order(StringComparer.Ordinal)];
        Assert.True(expected.SequenceEqual(findings.Select(f => f.GetProperty("id").GetString()).Order(StringComparer.Ordinal)),
            "findings:\n" + string.Join("\n", findings.Select(f => f.GetRawText())) + "\nstatements:\n" + string.Join("\n", _server.Runtime.Queries.Snapshot().Select(s => $"{s.Count} {s.Collection} {s.Shape}")));
        var index = Assert.Single(findings, f => f.GetProperty("id").GetString() == "missing-index");
        Assert.Contains(OnPostgres ? "Scan on notes t" : "SCAN", index.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Contains("indexes: [[score]]", index.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX \"notes__score_idx\" ON \"notes\" (\"score\")", index.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains(findings, f => f.GetProperty("id").GetString() == "anonymous-write" && f.GetProperty("severity").GetString() == "error"
            && f.GetProperty("evidence").GetString()!.Contains("rules.create", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.GetProperty("id").GetString() == "anonymous-write" && f.GetProperty("severity").GetString() == "warning"
            && f.GetProperty("evidence").GetString()!.Contains("rules.update", StringComparison.Ordinal));
        Assert.Contains("20 lists", Assert.Single(findings, f => f.GetProperty("id").GetString() == "public-count").GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Contains("root@example.com", Assert.Single(findings, f => f.GetProperty("id").GetString() == "superuser-without-mfa").GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("settings.trusted_proxies contains 0.0.0.0/0:", Assert.Single(findings, f => f.GetProperty("id").GetString() == "trusted-proxies-wide").GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.All(findings, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("fix").GetString())));
        Assert.Equal("error", findings[0].GetProperty("severity").GetString());
        Assert.DoesNotContain(AdvisorSchemas.PublishedSecret, string.Join("\n", findings.Select(f => f.GetRawText())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Advisor_FrequentSortWithoutIndex_ReportsTheIndexThatServesIt()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(AdvisorSchemas.Careless(), dev: false);
        var root = await AuthTestAccounts.SuperuserAsync(_server);
        await _server.CreateAsync("notes", """{"title":"b","score":1}""");
        for (var i = 0; i < Sharpbase.Admin.Advisor.OftenRuns; i++)
        {
            using var sorted = await _server.GetAsync("/api/notes?sort=-title");
            Assert.Equal(HttpStatusCode.OK, sorted.StatusCode);
        }

        var findings = await FindingsAsync(root);

        var index = Assert.Single(findings, f => f.GetProperty("id").GetString() == "missing-index");
        Assert.Equal("A sort on 'notes' ran often without an index", index.GetProperty("title").GetString());
        Assert.Contains(OnPostgres ? "Sort by t.title" : "USE TEMP B-TREE FOR ORDER BY", index.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Contains("indexes: [[title]]", index.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-at")]
    [InlineData("at")]
    public async Task Advisor_FrequentSortOnAnIndexedColumnWithNulls_ServedByTheIndexInEitherDirection(string sort)
    {
        // Lists order ASC NULLS FIRST / DESC NULLS LAST on both databases; PostgreSQL's default index
        // order (nulls last) could serve neither direction without sorting every row.
        _server = await SharpbaseServer.StartAsync<TDatabase>("""
            collections:
              events:
                fields:
                  kind: { type: text, required: true }
                  at:   { type: datetime }
                indexes:
                  - [kind, at]
                rules: { list: "true", view: "true", create: "true" }
            settings:
              rate_limits:
                - { name: auth, routes: ["POST /auth/*"], per: ip, limit: 100000, window: 1m }
            """, dev: false);
        var root = await AuthTestAccounts.SuperuserAsync(_server);
        await _server.CreateAsync("events", """{"kind":"a","at":"2026-01-01T00:00:00Z"}""");
        await _server.CreateAsync("events", """{"kind":"a"}""");
        for (var i = 0; i < Sharpbase.Admin.Advisor.OftenRuns; i++)
        {
            using var sorted = await _server.GetAsync($"/api/events?sort={sort}&filter=" + Uri.EscapeDataString("kind = \"a\""));
            Assert.Equal(HttpStatusCode.OK, sorted.StatusCode);
        }

        var findings = await FindingsAsync(root);

        Assert.DoesNotContain(findings, f => f.GetProperty("id").GetString() == "missing-index");
    }

    [Fact]
    public async Task Advisor_BlogExampleWithIndexedTraffic_ReportsNothing()
    {
        _server = await SharpbaseServer.StartAsync<TDatabase>(dev: false);
        var root = await AuthTestAccounts.SuperuserAsync(_server);
        using (var setup = await _server.PostAsync("/auth/mfa/totp/setup", "{}", root.Bearer))
        {
            var secret = (await setup.JsonAsync()).GetProperty("secret").GetString()!;
            using var enable = await _server.PostAsync("/auth/mfa/totp/enable", JsonSerializer.Serialize(new { code = AuthTestAccounts.Code(secret, TimeSpan.Zero) }), root.Bearer);
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        }
        using (var tag = await _server.PostAsync("/api/tags", """{"name":"dotnet"}""", root.Bearer))
        {
            Assert.Equal(HttpStatusCode.Created, tag.StatusCode);
        }
        for (var i = 0; i < Sharpbase.Admin.Advisor.OftenRuns; i++)
        {
            using var posts = await _server.GetAsync("/api/posts?sort=-published_at&filter=" + Uri.EscapeDataString("status = \"published\""), root.Bearer);
            Assert.Equal(HttpStatusCode.OK, posts.StatusCode);
            using var published = await _server.GetAsync("/api/posts?sort=-published_at&filter=" + Uri.EscapeDataString("status = \"published\""));
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            using var tags = await _server.GetAsync("/api/tags?sort=name&filter=" + Uri.EscapeDataString("name = \"dotnet\""));
            Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
        }

        var findings = await FindingsAsync(root);

        // The PostgreSQL server's own durability settings are the only thing left to report.
        var expected = await DurabilityFindingsAsync();
        Assert.True(expected.SequenceEqual(findings.Select(f => f.GetProperty("id").GetString()!)), "unexpected findings:\n" + string.Join("\n", findings.Select(f => f.GetRawText())));
    }

    /// <summary>The durability findings the PostgreSQL test server's settings call for; none on SQLite.</summary>
    private async Task<List<string>> DurabilityFindingsAsync()
    {
        if (!OnPostgres)
        {
            return [];
        }
        await using var connection = _server!.Database.Open(_server.DataDirectory);
        return await AdvisorSchemas.DurabilityFindingsAsync(connection);
    }

    private async Task<List<JsonElement>> FindingsAsync(TestAccount root)
    {
        using var response = await _server!.GetAsync("/admin/advisor", root.Bearer);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        return [.. (await response.JsonAsync()).GetProperty("findings").EnumerateArray()];
    }
}

public sealed class AdvisorTestsOnSqlite : AdvisorTests<Sqlite>
{
    [Theory]
    [InlineData("off")]
    [InlineData("fast")]
    public async Task Start_SqliteSynchronousOffOrUnknown_IsRefusedWithTheSetting(string level)
    {
        var refused = await Assert.ThrowsAsync<Sharpbase.Hosting.SharpbaseStartupException>(() => SharpbaseServer.StartAsync(
            SharpbaseServer.BlogSchema.Replace("settings:", $"settings:\n  server: {{ sqlite_synchronous: {level} }}", StringComparison.Ordinal)));

        Assert.StartsWith("settings.server.sqlite_synchronous: synchronous must be FULL, EXTRA or NORMAL", refused.Message, StringComparison.Ordinal);
    }
}

public sealed class AdvisorTestsOnPostgres : AdvisorTests<Postgres>;
