using System.Text.Json;
using Sharpbase.Tests.Auth;
using Sharpbase.Tests.Observability;

namespace Sharpbase.Tests.Process;

[Collection(ProcessTestGroup.Name)]
public sealed class LogSecretsProcessTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private SharpbaseProcess? _server;

    public void Dispose()
    {
        _server?.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Serve_JsonConsoleAtTrace_EveryAuthFlowLeavesNoSecretAndOneJsonLinePerRequest()
    {
        var schema = _folder.Write("sharpbase.yaml", AuthFlows.BlogWith(AuthFlows.CheapHashing));
        var data = _folder.Combine("data");
        var port = SharpbaseProcess.FreePort();
        _server = SharpbaseProcess.Start(_folder.Path, new Dictionary<string, string> { ["SHARPBASE__LOGGING__LOGLEVEL__DEFAULT"] = "Trace" },
            "serve", "--schema", schema, "--data", data, "--http", $"127.0.0.1:{port}");
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await _server.WaitForHttpAsync(new Uri(baseAddress, "/health/live"), SharpbaseProcess.StartTimeout);
        using var client = new HttpClient { BaseAddress = baseAddress };

        var secrets = await SecretFlows.RunAsync(client, Path.Combine(data, "outbox"));
        _server.Terminate();
        Assert.Equal(0, await _server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var records = _server.Stdout.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var requests = records.Where(r => r.GetProperty("Category").GetString() == "Sharpbase.Observability.RequestLoggingMiddleware").Select(r => r.GetProperty("State")).ToList();
        Assert.Equal(2, requests.Count(r => r.GetProperty("Route").GetString() == "/auth/mfa/totp/login" && r.GetProperty("Status").GetInt32() == 200));
        var logout = Assert.Single(requests, r => r.GetProperty("Route").GetString() == "/auth/logout");
        Assert.Equal(("POST", 204), (logout.GetProperty("Method").GetString(), logout.GetProperty("Status").GetInt32()));
        Assert.Matches("^[0-9a-f-]{36}$", logout.GetProperty("UserId").GetString());
        Assert.Matches("^[0-9a-f]{32}$", logout.GetProperty("TraceId").GetString());
        Assert.False(string.IsNullOrEmpty(logout.GetProperty("RequestId").GetString()));
        Assert.Contains(records, r => r.GetProperty("LogLevel").GetString() is "Debug" or "Trace");
        Assert.Empty(SecretFlows.Leaked(secrets, _server.Stdout + _server.Stderr));
    }
}
