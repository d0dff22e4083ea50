using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SystemProcess = System.Diagnostics.Process;

namespace Sharpbase.Tests.Process;

/// <summary>
/// The real `sharpbase` executable in a child process, with its output captured and signals sent
/// to it as an operator would: the native build when SHARPBASE_EXECUTABLE names one (./test.sh
/// publishes it), else Sharpbase.Cli.dll, built next to the tests, on the dotnet host.
/// </summary>
public sealed class SharpbaseProcess : IDisposable
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly SystemProcess _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private SharpbaseProcess(SystemProcess process)
    {
        _process = process;
    }

    public static string CliPath => Path.Combine(AppContext.BaseDirectory, "Sharpbase.Cli.dll");

    /// <summary>The native executable under test, if any (SHARPBASE_EXECUTABLE).</summary>
    public static string? NativeExecutable => Environment.GetEnvironmentVariable("SHARPBASE_EXECUTABLE") is { Length: > 0 } path ? path : null;

    /// <summary>The blog example bundled beside the executable under test.</summary>
    public static string BlogSchemaPath => Path.Combine(NativeExecutable is { } native ? Path.GetDirectoryName(native)! : AppContext.BaseDirectory, "examples", "blog", "sharpbase.yaml");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Where a started server listens (set by <see cref="ServeAsync"/>).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts `sharpbase ARGS` in <paramref name="workingDirectory"/>. No SHARPBASE__ variable leaks in from the test run.</summary>
    public static SharpbaseProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var native = NativeExecutable;
        var info = new ProcessStartInfo(native ?? DotnetHost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (native is null)
        {
            info.ArgumentList.Add(CliPath);
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("SHARPBASE__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new SystemProcess { StartInfo = info };
        var started = new SharpbaseProcess(process);
        process.OutputDataReceived += (_, e) => Append(started._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(started._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs a command to completion and returns its exit code and output.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        var exitCode = await process.WaitForExitAsync(CommandTimeout);
        return new CliResult(exitCode, process.Stdout, process.Stderr);
    }

    /// <summary>
    /// Starts `sharpbase serve --dev` on a free loopback port and waits until it answers HTTP
    /// (a GET of <c>/api/{probeCollection}</c>).
    /// </summary>
    public static async Task<SharpbaseProcess> ServeAsync(string workingDirectory, string schemaPath, string dataDirectory, string probeCollection)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var process = Start(workingDirectory, null, "serve", "--dev", "--schema", schemaPath, "--data", dataDirectory, "--http", $"127.0.0.1:{port}");
            process.BaseAddress = new Uri($"http://127.0.0.1:{port}");
            try
            {
                await process.WaitForHttpAsync(new Uri(process.BaseAddress, "/api/" + probeCollection), StartTimeout);
                return process;
            }
            catch (InvalidOperationException) when (attempt < 3 && process.Stderr.Contains("cannot listen", StringComparison.Ordinal))
            {
                // Another process took the port between probing and binding; try another one.
                process.Dispose();
            }
            catch
            {
                process.Dispose();
                throw;
            }
        }
    }

    /// <summary>A port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Polls <paramref name="url"/> until the server answers anything at all.</summary>
    public async Task WaitForHttpAsync(Uri url, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"sharpbase exited with {_process.ExitCode} before answering {url}.\n{Describe()}");
            }
            try
            {
                using var response = await client.GetAsync(url);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"sharpbase did not answer {url} within {timeout}.\n{Describe()}", e);
                }
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Waits until standard output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (deadline.Elapsed > timeout || _process.HasExited)
            {
                throw new TimeoutException($"sharpbase did not print '{text}'.\n{Describe()}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does to stop a service.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends SIGKILL: the process gets no chance to flush or close anything.</summary>
    public void KillHard() => _process.Kill();

    /// <summary>Waits for the process to exit (and its output to be drained) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"sharpbase did not exit within {timeout}.\n{Describe()}", e);
        }
        return _process.ExitCode;
    }

    public string Describe() => $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Signal(string signal)
    {
        using var kill = SystemProcess.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.True(kill.ExitCode == 0, $"kill -{signal} {_process.Id} failed");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }
}
