using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sharpbase.Cli;
using Sharpbase.Schema;

namespace Sharpbase.Tests.Infrastructure;

/// <summary>
/// A real Sharpbase server on Kestrel (loopback, random port) over a real database — an SQLite file
/// in a temp folder, or a fresh PostgreSQL database — built exactly as `sharpbase serve` builds it.
/// </summary>
public sealed class SharpbaseServer : IAsyncDisposable
{
    private WebApplication? _app;

    private SharpbaseServer(string directory, string schemaPath, TestDatabase database)
    {
        Directory = directory;
        SchemaPath = schemaPath;
        Database = database;
    }

    /// <summary>The database the server runs on.</summary>
    public TestDatabase Database { get; }

    public string Directory { get; }

    public string SchemaPath { get; }

    public string DataDirectory => Path.Combine(Directory, "sb_data");

    public string DatabasePath => Path.Combine(DataDirectory, "data.db");

    /// <summary>The database as the server's SQL spans name it (<c>db.namespace</c>): the SQLite file, or PostgreSQL's host, port and database.</summary>
    public string DatabaseLocation => Sharpbase.Storage.Databases.Describe(Database.Setting, DataDirectory);

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Every log line the server wrote, across restarts.</summary>
    public LogCapture Logs { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The running server's runtime, for set-up a test cannot do over HTTP (e.g. creating a superuser).</summary>
    public Sharpbase.Hosting.SharpbaseRuntime Runtime =>
        (_app ?? throw new InvalidOperationException("the server is not running")).Services.GetRequiredService<Sharpbase.Hosting.SharpbaseRuntime>();

    /// <summary>The running server's services, for set-up or inspection a test cannot do over HTTP.</summary>
    public IServiceProvider Services => (_app ?? throw new InvalidOperationException("the server is not running")).Services;

    /// <summary>The bundled blog example.</summary>
    public static string BlogSchema => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples/blog/sharpbase.yaml"));

    /// <summary>Starts a server on SQLite (for tests that are about SQLite, or not about the database at all).</summary>
    public static Task<SharpbaseServer> StartAsync(string? schemaYaml = null, bool dev = true, Action<Sharpbase.Hosting.SharpbaseOptions>? configure = null,
        Action<IServiceCollection>? services = null) => StartAsync<Sqlite>(schemaYaml, dev, configure, services);

    /// <summary>Starts a server on a fresh database of the kind <typeparamref name="TDatabase"/>.</summary>
    public static async Task<SharpbaseServer> StartAsync<TDatabase>(string? schemaYaml = null, bool dev = true, Action<Sharpbase.Hosting.SharpbaseOptions>? configure = null,
        Action<IServiceCollection>? services = null) where TDatabase : ITestDatabaseKind
    {
        var directory = Path.Combine(Path.GetTempPath(), "sharpbase-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var schemaPath = Path.Combine(directory, "sharpbase.yaml");
        await File.WriteAllTextAsync(schemaPath, schemaYaml ?? BlogSchema);
        var database = await TDatabase.CreateAsync();
        var server = new SharpbaseServer(directory, schemaPath, database);
        try
        {
            await server.RestartAsync(dev, configure, services);
        }
        catch
        {
            await database.DisposeAsync();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
        return server;
    }

    /// <summary>Stops the server (if running) and starts it again on the same data, e.g. after a schema change.</summary>
    public async Task RestartAsync(bool dev = true, Action<Sharpbase.Hosting.SharpbaseOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        await StopAsync();
        var loaded = SchemaLoader.Load(SchemaPath);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        // Tests rewrite the schema file and restart on purpose; a test that wants the live reload sets WatchSchema.
        var app = ServeCommand.Build(new ServeSettings(SchemaPath, DataDirectory, "127.0.0.1:0", dev), loaded.Schema!, IPAddress.Loopback, 0, options =>
        {
            options.Database = Database.Setting;
            options.WatchSchema = false;
            configure?.Invoke(options);
        }, services);
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        _app = app;
        BaseAddress = new Uri(app.Urls.First());
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public async Task WriteSchemaAsync(string yaml) => await File.WriteAllTextAsync(SchemaPath, yaml);

    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        // A server fault in any test is a failure of that test, even when its assertions passed.
        var errors = Logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message).ToList();
        SqliteConnection.ClearAllPools();
        await Database.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
        Assert.True(errors.Count == 0, "the server logged errors:\n" + string.Join("\n", errors));
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        configure?.Invoke(request);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(string url, string json, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Post, url, json, configure);

    public Task<HttpResponseMessage> PatchAsync(string url, string json, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Patch, url, json, configure);

    public Task<HttpResponseMessage> GetAsync(string url, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Get, url, null, configure);

    public Task<HttpResponseMessage> DeleteAsync(string url, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Delete, url, null, configure);

    /// <summary>Creates a record and returns its JSON, asserting 201.</summary>
    public async Task<JsonElement> CreateAsync(string collection, string json)
    {
        using var response = await PostAsync("/api/" + collection, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Runs a query straight on the database, bypassing the server; values are parameters <c>@p0</c>, <c>@p1</c>, ….</summary>
    public object? ReadScalar(string sql, params object[] parameters)
    {
        using var connection = Database.Open(DataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameter.Value = parameters[i];
            command.Parameters.Add(parameter);
        }
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Counts rows straight from the database, bypassing the server.</summary>
    public long CountRows(string table)
    {
        using var connection = Database.Open(DataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\"";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
