using System.Diagnostics;
using System.Net.Sockets;
using Sharpbase.Tests.Process;
using StackExchange.Redis;
using SystemProcess = System.Diagnostics.Process;

namespace Sharpbase.Tests.Protection;

/// <summary>A redis-server of the test's own on a free loopback port, which the test may stop and start again.</summary>
public sealed class RedisServer : IDisposable
{
    private SystemProcess? _process;
    private ConnectionMultiplexer? _admin;

    private RedisServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The redis-server that ./test.sh starts for the run (SHARPBASE_TEST_REDIS); the test fails without it.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("SHARPBASE_TEST_REDIS") is { Length: > 0 } endpoint
            ? endpoint
            : throw new InvalidOperationException("SHARPBASE_TEST_REDIS is not set: run ./test.sh, which starts a redis-server and exports SHARPBASE_TEST_REDIS=127.0.0.1:PORT");

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(SharpbaseProcess.FreePort());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _process = SystemProcess.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh (it installs the Debian package redis-server) or install it", e);
        }
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10) && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Runs a server command (CLIENT KILL, ACL SETUSER, EXISTS, …) through an admin connection of the test's own, opened on first use.</summary>
    public async Task<RedisResult> ExecuteAsync(string command, params object[] arguments)
    {
        _admin ??= await ConnectionMultiplexer.ConnectAsync($"{Endpoint},allowAdmin=true");
        return await _admin.GetServer(Endpoint).ExecuteAsync(command, arguments);
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        _admin?.Dispose();
        Stop();
    }
}
