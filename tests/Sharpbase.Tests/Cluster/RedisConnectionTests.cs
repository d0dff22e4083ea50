using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Sharpbase.Cluster;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Protection;

namespace Sharpbase.Tests.Cluster;

/// <summary>The connection's outage reporting against the run's real redis-server, with a clock the test moves.</summary>
public sealed class RedisConnectionTests : IAsyncLifetime, IDisposable
{
    private const string Warning = "rate limits are counted per node";

    private readonly ManualTime _time = new();
    private readonly LogCapture _logs = new(LogLevel.Debug);
    private readonly ILoggerFactory _loggers;
    private readonly RedisConnection _redis;

    public RedisConnectionTests()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("redis", RedisServer.Shared)]).Build();
        _redis = new RedisConnection(configuration, _time, _loggers.CreateLogger<RedisConnection>());
    }

    public Task InitializeAsync() => _redis.ConnectAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
    }

    public void Dispose()
    {
        _loggers.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public void Outage_DropAgainWhileSettling_ReportedOnce_ANewOutageLater_ReportedAgain()
    {
        var lost = 0;
        _redis.Lost += () => lost++;
        Assert.Equal(RedisConnection.Ok, _redis.Status);

        _redis.Failed(new TimeoutException());
        Assert.Equal(RedisConnection.Degraded, _redis.Status);
        _redis.Succeeded();
        Assert.Equal(RedisConnection.Ok, _redis.Status);

        // The link drops again just after coming back: still the same outage.
        _time.Advance(RedisConnection.SettleTime / 2);
        _redis.Failed(new TimeoutException());
        Assert.Equal(RedisConnection.Degraded, _redis.Status);
        Assert.Single(Lines(Warning));
        Assert.Single(Lines("dropped again"));
        _redis.Succeeded();

        // Once the return has settled, a failure is a new outage and is reported.
        _time.Advance(RedisConnection.SettleTime);
        _redis.Failed(new TimeoutException());
        Assert.Equal(2, Lines(Warning).Count);
        Assert.Equal(3, lost);
        Assert.Equal(2, Lines("rate limits are shared again").Count);
    }

    private List<(LogLevel Level, string Category, string Message)> Lines(string text) =>
        [.. _logs.Entries.Where(e => e.Message.Contains(text, StringComparison.Ordinal))];
}
