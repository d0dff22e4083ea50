namespace Sharpbase.Hosting;

/// <summary>
/// Watches the schema file and asks for a reload once it has been quiet for a moment: editors write a
/// file in several steps (truncate, write, rename), and a reload should see the finished file.
/// </summary>
internal sealed class SchemaWatcher : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    private readonly FileSystemWatcher _watcher;
    private readonly ITimer _timer;
    private readonly string _fileName;

    public SchemaWatcher(string schemaPath, TimeProvider time, Func<Task> reload)
    {
        var full = Path.GetFullPath(schemaPath);
        _fileName = Path.GetFileName(full);
        _timer = time.CreateTimer(_ => _ = ReloadAsync(reload), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!)
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += OnEvent;
        _watcher.Created += OnEvent;
        _watcher.Renamed += OnEvent;
        _watcher.EnableRaisingEvents = true;
    }

    // A change that lands while the server shuts down is simply not applied.
    private static async Task ReloadAsync(Func<Task> reload)
    {
        try
        {
            await reload();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        if (string.Equals(e.Name, _fileName, StringComparison.Ordinal))
        {
            _timer.Change(Quiet, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _timer.Dispose();
    }
}
