namespace Sharpbase.Hosting;

/// <summary>How a Sharpbase server is set up; every property also reads from configuration.</summary>
public sealed class SharpbaseOptions
{
    /// <summary>The schema file (YAML or JSON). Required.</summary>
    public string SchemaPath { get; set; } = "sharpbase.yaml";

    /// <summary>The data folder: the SQLite file and, later, keys and the mail outbox (<c>./sb_data</c>).</summary>
    public string DataDirectory { get; set; } = "sb_data";

    /// <summary>
    /// The database: empty for the SQLite file <c>data.db</c> in the data folder, or a PostgreSQL
    /// connection, <c>postgres://user:password@host:5432/database</c> or <c>Host=…;Database=…;Username=…</c>.
    /// Read from <c>settings.database</c> or <c>SHARPBASE__DATABASE</c>.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>The server's own base URL, the default for links in mail (<c>http://127.0.0.1:8090</c>).</summary>
    public string PublicUrl { get; set; } = "http://127.0.0.1:8090";

    /// <summary>Development mode: readable logs instead of JSON lines.</summary>
    public bool DevMode { get; set; }

    /// <summary>
    /// Reload the schema when its file changes (on by default): new collections, fields, indexes and
    /// rules are served at once; destructive changes and the settings section wait for a restart.
    /// </summary>
    public bool WatchSchema { get; set; } = true;

    /// <summary>Largest accepted request body, in bytes (1 MiB).</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest accepted JSON nesting (32).</summary>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Default page size of a list (20).</summary>
    public int DefaultPageSize { get; set; } = 20;

    /// <summary>Largest page size a client may ask for (200).</summary>
    public int MaxPageSize { get; set; } = 200;

    /// <summary>How long a write waits for a database lock before answering 503 (5 s).</summary>
    public TimeSpan DatabaseBusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Statements slower than this are logged with their shape (200 ms).</summary>
    public TimeSpan SlowQueryThreshold { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The SQLite writer's <c>synchronous</c> level: <c>full</c> (default: an acknowledged write
    /// survives power loss), <c>extra</c>, or <c>normal</c> (faster; the last writes before a power
    /// loss can be lost). <c>sharpbase doctor</c> reports anything below <c>full</c>.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "full";
}
