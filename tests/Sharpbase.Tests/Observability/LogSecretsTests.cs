using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Observability;

public sealed class LogSecretsTests : IAsyncLifetime, IDisposable
{
    // Every category at Trace, the framework's too: a secret must not reach even a debugging log.
    private readonly LogCapture _trace = new(LogLevel.Trace);
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync(AuthFlows.BlogWith(AuthFlows.CheapHashing), dev: false,
        services: services => services.AddLogging(logging => logging.AddProvider(_trace).AddFilter<LogCapture>(null, LogLevel.Trace)));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _trace.Dispose();

    [Fact]
    public async Task EveryAuthFlow_AtTraceLevel_LeavesNoSecretInTheLog()
    {
        var secrets = await SecretFlows.RunAsync(_server.Client, Path.Combine(_server.DataDirectory, "outbox"));

        var log = string.Join("\n", _trace.Entries.Select(e => e.Category + " " + e.Message));
        Assert.True(secrets.Count > 25, $"only {secrets.Count} secrets collected");
        Assert.Contains(_trace.Entries, e => e.Level < LogLevel.Information);
        Assert.Contains(_trace.Entries, e => e.Message.StartsWith("POST /auth/mfa/totp/login - -> 200", StringComparison.Ordinal));
        Assert.Empty(SecretFlows.Leaked(secrets, log));
    }
}
