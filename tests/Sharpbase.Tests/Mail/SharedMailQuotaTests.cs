using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Sharpbase.Cluster;
using Sharpbase.Mail;
using Sharpbase.Tests.Infrastructure;
using Sharpbase.Tests.Protection;
using StackExchange.Redis;

namespace Sharpbase.Tests.Mail;

/// <summary>
/// Two mail senders, as on two nodes, counting their quotas in a redis-server of the test's own
/// (its keys are not shared with other tests' clusters), on one clock the test moves.
/// </summary>
public sealed class SharedMailQuotaTests : IAsyncLifetime, IDisposable
{
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), "sharpbase-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTime _clock = new();
    private readonly LogCapture _logs = new();
    private readonly ILoggerFactory _loggers;
    private RedisServer _redis = null!;
    private RedisConnection _connectionA = null!;
    private RedisConnection _connectionB = null!;
    private MailSender _a = null!;
    private MailSender _b = null!;

    public SharedMailQuotaTests() => _loggers = LoggerFactory.Create(builder => builder.AddProvider(_logs));

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        (_a, _connectionA) = await NodeAsync();
        (_b, _connectionB) = await NodeAsync();
        // A connection's first script call loads the script and runs its code for the first time; on a
        // loaded test run that can pass the 500 ms operation timeout, after which a sender counts in
        // the process for a while. Each makes that call here, then the counts start from nothing.
        foreach (var connection in new[] { _connectionA, _connectionB })
        {
            Assert.NotNull(await new RedisMailQuota(connection).TryAdmitAsync("warm-up@example.com", _clock.GetUtcNow(), 1, TimeSpan.FromSeconds(1), 1, TimeSpan.FromSeconds(1)));
        }
        await _redis.ExecuteAsync("FLUSHALL");
    }

    public async Task DisposeAsync()
    {
        await _connectionA.DisposeAsync();
        await _connectionB.DisposeAsync();
        _redis.Dispose();
    }

    public void Dispose()
    {
        _loggers.Dispose();
        _logs.Dispose();
        if (Directory.Exists(_outbox))
        {
            Directory.Delete(_outbox, recursive: true);
        }
    }

    [Fact]
    public async Task PerRecipientLimit_HoldsOverBothSenders_CaseInsensitively_UntilTheHourPasses()
    {
        await _a.SendAsync(To("ada@example.com"), CancellationToken.None);
        await _b.SendAsync(To("Ada@Example.com"), CancellationToken.None);

        // Each sender has sent one mail to ada: counted per node, both would send a second.
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => _a.SendAsync(To("ada@example.com"), CancellationToken.None));
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => _b.SendAsync(To("ADA@EXAMPLE.COM"), CancellationToken.None));
        Assert.Equal(2, Mails());
        Assert.Equal(2, _logs.Entries.Count(e => e.Message.Contains("more than 2 mails to this address in an hour", StringComparison.Ordinal)));

        _clock.Advance(TimeSpan.FromMinutes(59));
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => _b.SendAsync(To("ada@example.com"), CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _b.SendAsync(To("ada@example.com"), CancellationToken.None);
        await _a.SendAsync(To("ada@example.com"), CancellationToken.None);
        Assert.Equal(4, Mails());
    }

    [Fact]
    public async Task LimitOverAllRecipients_HoldsOverBothSenders_AndARefusedMailSpendsNothing()
    {
        await _a.SendAsync(To("ada@example.com"), CancellationToken.None);
        await _a.SendAsync(To("ada@example.com"), CancellationToken.None);
        // Refused for its recipient: it spends nothing of the three a minute over all recipients.
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => _b.SendAsync(To("ada@example.com"), CancellationToken.None));
        await _b.SendAsync(To("bob@example.com"), CancellationToken.None);

        await Assert.ThrowsAsync<MailQuotaExceededException>(() => _a.SendAsync(To("carol@example.com"), CancellationToken.None));
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => _b.SendAsync(To("dave@example.com"), CancellationToken.None));
        Assert.Equal(2, _logs.Entries.Count(e => e.Message.Contains("more than 3 mails in a minute", StringComparison.Ordinal)));

        // Refused for the quota over all, carol's mail was not counted for carol either.
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _a.SendAsync(To("carol@example.com"), CancellationToken.None);
        await _b.SendAsync(To("carol@example.com"), CancellationToken.None);
        Assert.Equal(5, Mails());
    }

    [Fact]
    public async Task Keys_HoldNoAddress_AndExpireWithTheirWindow()
    {
        await _a.SendAsync(To("ada.lovelace@example.com"), CancellationToken.None);

        await using var reader = await ConnectionMultiplexer.ConnectAsync(_redis.Endpoint);
        var server = reader.GetServer(_redis.Endpoint);
        var keys = server.Keys(pattern: "sharpbase:mail:*").Select(k => (string)k!).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Contains("sharpbase:mail:all", keys);
        Assert.All(keys, k => Assert.DoesNotContain("example", k, StringComparison.OrdinalIgnoreCase));
        Assert.All(keys, k => Assert.DoesNotContain("ada", k, StringComparison.OrdinalIgnoreCase));
        var database = reader.GetDatabase();
        var recipientKey = keys.Single(k => k != "sharpbase:mail:all");
        Assert.Matches("^sharpbase:mail:to:[0-9a-f]{64}$", recipientKey);
        Assert.InRange((await database.KeyTimeToLiveAsync(recipientKey))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.InRange((await database.KeyTimeToLiveAsync("sharpbase:mail:all"))!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task RedisDown_EachSenderCountsOnItsOwn_AndSendingGoesOn()
    {
        await _a.SendAsync(To("ada@example.com"), CancellationToken.None);
        _redis.Stop();

        // Without Redis, B knows nothing of A's mail: it admits two to ada by its own count, then refuses.
        await _b.SendAsync(To("ada@example.com"), CancellationToken.None);
        await _b.SendAsync(To("ada@example.com"), CancellationToken.None);
        await Assert.ThrowsAsync<MailQuotaExceededException>(() => _b.SendAsync(To("ada@example.com"), CancellationToken.None));
        Assert.Equal(3, Mails());
    }

    private async Task<(MailSender Sender, RedisConnection Connection)> NodeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("redis", _redis.Endpoint)]).Build();
        var connection = new RedisConnection(configuration, _clock, _loggers.CreateLogger<RedisConnection>());
        await connection.ConnectAsync(CancellationToken.None);
        Assert.Equal(RedisConnection.Ok, connection.Status);
        var sender = new MailSender(new MailOptions { OutboxDirectory = _outbox, MaxPerRecipientPerHour = 2, MaxPerMinute = 3 },
            _loggers.CreateLogger<MailSender>(), _clock);
        sender.Share(new RedisMailQuota(connection));
        return (sender, connection);
    }

    private int Mails() => Directory.Exists(_outbox) ? Directory.GetFiles(_outbox, "*.eml").Length : 0;

    private static OutgoingMail To(string address) => new(address, "Hi", "text", null);
}
