using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sharpbase.Tests.Process;

[Collection(ProcessTestGroup.Name)]
public sealed class SuperuserCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<CliResult> RunAsync(params string[] args) => SharpbaseProcess.RunAsync(_folder.Path, null, args);

    [Fact]
    public async Task SuperuserCreate_ThenServe_TheSuperuserSignsIn()
    {
        var data = _folder.Combine("data");

        var created = await RunAsync("superuser", "create", "Root@Example.com", "--password", "a long secret", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", data);
        var again = await RunAsync("superuser", "create", "root@example.com", "--password", "another secret", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", data);
        var weak = await RunAsync("superuser", "create", "other@example.com", "--password", "short", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", data);
        var invalid = await RunAsync("superuser", "create", "not-an-email", "--password", "a long secret", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", data);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("root@example.com", created.Stdout, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 2 && again.Stderr.Contains("already exists", StringComparison.Ordinal), again.ToString());
        Assert.True(weak.ExitCode == 2 && weak.Stderr.Contains("at least 8", StringComparison.Ordinal), weak.ToString());
        Assert.True(invalid.ExitCode == 2, invalid.ToString());
        Assert.DoesNotContain("a long secret", created.Stdout + created.Stderr, StringComparison.Ordinal);

        using var server = await SharpbaseProcess.ServeAsync(_folder.Path, SharpbaseProcess.BlogSchemaPath, data, "tags");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var login = await client.PostAsJsonAsync("/auth/superuser/login", new { email = "root@example.com", password = "a long secret" });
        var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        request.Headers.Authorization = new("Bearer", body.GetProperty("access_token").GetString());
        using var me = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("root@example.com", body.GetProperty("superuser").GetProperty("email").GetString());
        Assert.Equal("root@example.com", JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement.GetProperty("superuser").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Serve_SuperuserFromEnvironment_IsCreatedOnceOnFirstStart()
    {
        var data = _folder.Combine("seeded");
        var port = SharpbaseProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["SHARPBASE__SUPERUSER__EMAIL"] = "Seed@Example.com",
            ["SHARPBASE__SUPERUSER__PASSWORD"] = "seeded secret pw",
        };

        using var server = SharpbaseProcess.Start(_folder.Path, environment, "serve", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", data, "--http", $"127.0.0.1:{port}");
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await server.WaitForHttpAsync(new Uri(baseAddress, "/health/ready"), SharpbaseProcess.StartTimeout);
        using var client = new HttpClient { BaseAddress = baseAddress };
        using var login = await client.PostAsJsonAsync("/auth/superuser/login", new { email = "seed@example.com", password = "seeded secret pw" });
        server.Terminate();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(15));
        var again = await RunAsync("superuser", "create", "seed@example.com", "--password", "another secret", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", data);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.DoesNotContain("seeded secret pw", server.Stdout + server.Stderr, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 2 && again.Stderr.Contains("already exists", StringComparison.Ordinal), again.ToString());
    }
}
