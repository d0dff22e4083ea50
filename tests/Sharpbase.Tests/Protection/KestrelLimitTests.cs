using System.Net;
using System.Net.Sockets;
using System.Text;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Protection;

/// <summary>
/// Limits Kestrel enforces before any middleware runs (so its answers are bare status codes, not
/// problem documents): the request line, the header block, and what is not HTTP at all.
/// </summary>
public abstract class KestrelLimitTests<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabaseKind
{
    private SharpbaseServer _server = null!;

    public async Task InitializeAsync() => _server = await SharpbaseServer.StartAsync<TDatabase>(TestSchemas.Everything);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RequestLine_Over8KiB_Is414()
    {
        var status = await RawStatusAsync($"GET /api/tags?filter={new string('a', 9000)} HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(414, status);
    }

    [Fact]
    public async Task Headers_Over32KiB_Are431()
    {
        var status = await RawStatusAsync($"GET /api/tags HTTP/1.1\r\nHost: localhost\r\nX-Big: {new string('b', 33 * 1024)}\r\n\r\n");

        Assert.Equal(431, status);
    }

    [Fact]
    public async Task RequestLine_Under8KiB_ReachesTheApi()
    {
        var status = await RawStatusAsync($"GET /api/tags?limit=5&x={new string('a', 10)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.Equal(400, status);
    }

    // What Kestrel cannot parse never reaches the app (README, Validation and errors): a bare 400 that
    // closes the connection. The server goes on serving the next connection.
    [Theory]
    [InlineData("GET /api/tags/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("GET /api/tags HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\0b\r\n\r\n")]
    [InlineData("G\u0001T /api/tags HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    public async Task RequestKestrelCannotParse_IsABare400ThatClosesTheConnection(string request)
    {
        var response = await RawResponseAsync(request);

        Assert.StartsWith("HTTP/1.1 400 ", response, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 0\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", response, StringComparison.Ordinal);
        Assert.Equal(200, await RawStatusAsync("GET /api/tags HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    }

    private async Task<int> RawStatusAsync(string request)
    {
        var line = (await RawResponseAsync(request)).Split("\r\n")[0];
        return int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    // The response's head at least: what the server sent until its header block ended or it closed.
    private async Task<string> RawResponseAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _server.BaseAddress.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var buffer = new byte[4096];
        var text = new StringBuilder();
        int read;
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && (read = await stream.ReadAsync(buffer)) > 0)
        {
            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
        return text.ToString();
    }
}

public sealed class KestrelLimitTestsOnSqlite : KestrelLimitTests<Sqlite>;

public sealed class KestrelLimitTestsOnPostgres : KestrelLimitTests<Postgres>;
