using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sharpbase.Auth;
using Sharpbase.Hosting;
using Sharpbase.Mail;
using StackExchange.Redis;

namespace Sharpbase.Cluster;

/// <summary>
/// With <c>settings.redis</c>: connects, wires the shared change counter, the auth channel, the
/// sign-in throttle and the mail quotas to the started runtime, and keeps them in step with the connection — every loss
/// makes them distrust what they hold, every recovery resynchronises them. While Redis is degraded it is
/// pinged every second, so recovery does not wait for traffic.
/// </summary>
internal sealed class ClusterStartupService(RedisConnection redis, SharpbaseRuntime runtime, SharedChanges changes, AuthChannel channel, ILogger<ClusterStartupService> logger)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _resyncing = new(1, 1);
    private Task _probe = Task.CompletedTask;
    private int _needsResync;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!redis.IsConfigured)
        {
            return;
        }
        runtime.Engine.Changed += _ => changes.Changed();
        channel.Attach(runtime.Auth);
        runtime.Auth.Throttle.Share(new RedisLoginFailures(redis));
        runtime.Auth.Mail.Share(new RedisMailQuota(redis));
        redis.Lost += () =>
        {
            changes.Lost();
            channel.Lost();
        };
        redis.Restored += () =>
        {
            Volatile.Write(ref _needsResync, 1);
            _ = ResyncAsync(wait: false);
        };
        await redis.ConnectAsync(cancellationToken);
        // The first requests already find the counter and the channel in use.
        if (redis.Status == RedisConnection.Ok)
        {
            await ResyncAsync(wait: true);
        }
        _probe = ProbeAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _probe.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _resyncing.Dispose();
    }

    private async Task ResyncAsync(bool wait)
    {
        if (!await _resyncing.WaitAsync(wait ? Timeout.InfiniteTimeSpan : TimeSpan.Zero))
        {
            return;
        }
        try
        {
            Volatile.Write(ref _needsResync, 0);
            if (!await channel.ResyncAsync(_stopping.Token) || !await changes.ResyncAsync())
            {
                Volatile.Write(ref _needsResync, 1);
            }
            else
            {
                ClusterLog.Resynchronised(logger);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e) when (e is System.Data.Common.DbException or SharpbaseStorageException)
        {
            // The database is down too; the probe tries again.
            Volatile.Write(ref _needsResync, 1);
        }
        catch (Exception e)
        {
            // Whatever else went wrong, the probe must go on trying: a node that stopped here would
            // serve lists without validators, and distrust its auth cache, until restarted.
            ClusterLog.ResyncFailed(logger, e.GetType().Name);
            Volatile.Write(ref _needsResync, 1);
        }
        finally
        {
            _resyncing.Release();
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ProbeInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (redis.Status == RedisConnection.Degraded && redis.Connection is { IsConnected: true } connection)
                {
                    await PingAsync(connection);
                }
                else if (Volatile.Read(ref _needsResync) == 1)
                {
                    await ResyncAsync(wait: false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PingAsync(IConnectionMultiplexer connection)
    {
        try
        {
            await connection.GetDatabase().PingAsync();
            redis.Succeeded();
        }
        catch (Exception e) when (RedisConnection.IsUnreachable(e))
        {
            redis.Failed(e);
        }
    }
}
