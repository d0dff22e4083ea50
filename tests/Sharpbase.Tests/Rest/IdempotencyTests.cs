using System.Net;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Rest;

public abstract class IdempotencyTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Action<HttpRequestMessage> Key(string key) => r => r.Headers.TryAddWithoutValidation("Idempotency-Key", key);

    [Fact]
    public async Task Post_SameKeySameBody_ReplaysFirstResponseAndWritesOnce()
    {
        using var first = await _server.PostAsync("/api/tags", """{"name":"a"}""", Key("k-1"));
        using var second = await _server.PostAsync("/api/tags", """{"name":"a"}""", Key("k-1"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, _server.CountRows("tags"));
    }

    [Fact]
    public async Task Post_SameKeyDifferentBody_Is422AndWritesNothingMore()
    {
        using var first = await _server.PostAsync("/api/tags", """{"name":"a"}""", Key("k-2"));
        using var second = await _server.PostAsync("/api/tags", """{"name":"b"}""", Key("k-2"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(1, _server.CountRows("tags"));
    }

    [Fact]
    public async Task Post_FailedFirstAttempt_IsNotRememberedSoARetryCanSucceed()
    {
        using var invalid = await _server.PostAsync("/api/items", """{"title":"x"}""", Key("k-3"));
        using var valid = await _server.PostAsync("/api/items", """{"title":"xy"}""", Key("k-4"));

        await invalid.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Fact]
    public async Task Patch_SameKey_ReplaysWithoutBumpingVersionAgain()
    {
        var tag = await _server.CreateAsync("tags", """{"name":"a"}""");
        var url = $"/api/tags/{tag.GetProperty("id")}";

        using var first = await _server.PatchAsync(url, """{"name":"b"}""", Key("p-1"));
        using var second = await _server.PatchAsync(url, """{"name":"b"}""", Key("p-1"));
        using var get = await _server.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, (await second.JsonAsync()).GetProperty("version").GetInt32());
        Assert.Equal(2, (await get.JsonAsync()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Post_SameKeyOnAnotherPath_IsAReuse()
    {
        using var first = await _server.PostAsync("/api/tags", """{"name":"a"}""", Key("k-5"));
        using var second = await _server.PostAsync("/api/owners", """{"name":"a"}""", Key("k-5"));

        await second.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(0, _server.CountRows("owners"));
    }

    [Fact]
    public async Task Post_ConcurrentSameKey_WritesOnceAndOthersReplayOrGet409()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _server.PostAsync("/api/tags", """{"name":"race"}""", Key("k-race"))));

        Assert.Equal(1, _server.CountRows("tags"));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            var problem = await conflict.AssertProblemAsync(HttpStatusCode.Conflict, "idempotency_in_progress");
            Assert.NotNull(conflict.Headers.RetryAfter);
            Assert.True(problem.TryGetProperty("detail", out _));
        }
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Headers.Location).Distinct().ToArray();
        Assert.Single(created);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("too long")]
    [InlineData("two")]
    public async Task Post_InvalidKey_Is400(string key)
    {
        Action<HttpRequestMessage> header = key switch
        {
            "too long" => Key(new string('k', 256)),
            "two" => r => r.Headers.TryAddWithoutValidation("Idempotency-Key", ["k-a", "k-b"]),
            _ => Key(key),
        };

        using var response = await _server.PostAsync("/api/tags", """{"name":"a"}""", header);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        Assert.Equal(0, _server.CountRows("tags"));
    }

    private const string TwoTags = """{"requests":[{"method":"POST","url":"/api/tags","body":{"name":"one"}},{"method":"POST","url":"/api/tags","body":{"name":"two"}}]}""";

    [Fact]
    public async Task Batch_SameKeySameBody_ReplaysFirstAnswerAndWritesOnce()
    {
        using var first = await _server.PostAsync("/api/batch", TwoTags, Key("b-1"));
        using var second = await _server.PostAsync("/api/batch", TwoTags, Key("b-1"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(["true"], second.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal("no-store", second.Headers.CacheControl?.ToString());
        Assert.Equal(2, (await second.JsonAsync()).GetProperty("results").GetArrayLength());
        Assert.Equal(2, _server.CountRows("tags"));
    }

    [Fact]
    public async Task Batch_SameKeyDifferentBodyOrPath_Is422AndWritesNothingMore()
    {
        using var first = await _server.PostAsync("/api/batch", TwoTags, Key("b-2"));
        using var otherBody = await _server.PostAsync("/api/batch", TwoTags.Replace("two", "three", StringComparison.Ordinal), Key("b-2"));
        using var otherPath = await _server.PostAsync("/api/tags", """{"name":"four"}""", Key("b-2"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await otherBody.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await otherPath.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(2, _server.CountRows("tags"));
    }

    [Fact]
    public async Task Batch_FailedFirstAttempt_IsNotRememberedSoTheRetryWrites()
    {
        using var failed = await _server.PostAsync("/api/batch", """{"requests":[{"method":"POST","url":"/api/tags","body":{"name":"one"}},{"method":"POST","url":"/api/tags","body":{"name":"one"}}]}""", Key("b-3"));
        var problem = await failed.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(1, problem.GetProperty("index").GetInt32());
        Assert.Equal(0, _server.CountRows("tags"));
        using var retry = await _server.PostAsync("/api/batch", TwoTags, Key("b-3"));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(2, _server.CountRows("tags"));
    }

    [Fact]
    public async Task Batch_ConcurrentSameKey_WritesOnceAndOthersReplayOrGet409()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _server.PostAsync("/api/batch", TwoTags, Key("b-race"))));

        Assert.Equal(2, _server.CountRows("tags"));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.AssertProblemAsync(HttpStatusCode.Conflict, "idempotency_in_progress");
        }
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}

public sealed class IdempotencyTestsOnSqlite : IdempotencyTests<Sqlite>;

public sealed class IdempotencyTestsOnPostgres : IdempotencyTests<Postgres>;
