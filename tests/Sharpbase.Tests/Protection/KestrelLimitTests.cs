using System.Net;
using System.Net.Sockets;
using System.Text;
using Sharpbase.Tests.Infrastructure;

namespace Sharpbase.Tests.Protection;

/// <summary>
/// Limits Kestrel enforces before any middleware runs (so its answers are bare status codes, not
/// problem documents): the request line and the header block.
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

    private async Task<int> RawStatusAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _server.BaseAddress.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer);
        var line = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        return int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class KestrelLimitTestsOnSqlite : KestrelLimitTests<Sqlite>;

public sealed class KestrelLimitTestsOnPostgres : KestrelLimitTests<Postgres>;
