using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sharpbase.Auth;
using Sharpbase.Mail;
using Sharpbase.Observability;
using Sharpbase.Records;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage.Migrations;
using Sharpbase.Storage;

namespace Sharpbase.Hosting;

/// <summary>
/// The live parts of a server: the schema, the open database and the records engine. Started once
/// before the server accepts requests; disposed after it has drained them.
/// </summary>
public sealed class SharpbaseRuntime(IOptions<SharpbaseOptions> options, IOptions<AuthOptions> authOptions, IOptions<MailOptions> mailOptions,
    IOptions<SuperuserSeed> superuserSeed, TimeProvider timeProvider, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<SharpbaseRuntime>();
    private AuthServices? _auth;
    private QueryStatistics? _queries;

    private readonly SemaphoreSlim _reloading = new(1, 1);
    private Database? _database;
    private RecordsEngine? _engine;
    private SchemaWatcher? _watcher;

    /// <summary>The records engine; throws before the runtime has started.</summary>
    public RecordsEngine Engine => _engine ?? throw new InvalidOperationException("Sharpbase has not started.");

    /// <summary>Accounts and sessions; throws before the runtime has started.</summary>
    internal AuthServices Auth => _auth ?? throw new InvalidOperationException("Sharpbase has not started.");

    /// <summary>Statistics of this server's SQL by statement shape; throws before the runtime has started.</summary>
    internal QueryStatistics Queries => _queries ?? throw new InvalidOperationException("Sharpbase has not started.");

    /// <summary>The open database; throws before the runtime has started.</summary>
    internal Storage.Database Database => _database ?? throw new InvalidOperationException("Sharpbase has not started.");

    /// <summary>True once the database is open and migrated.</summary>
    public bool IsReady => _engine is not null;

    /// <summary>Loads the schema, opens the database and migrates it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var loaded = SchemaLoader.Load(settings.SchemaPath);
        if (!loaded.Success)
        {
            throw new SharpbaseStartupException("the schema is invalid:\n" + string.Join("\n", loaded.Diagnostics));
        }
        var schema = loaded.Schema!;
        string location;
        try
        {
            location = Databases.Describe(settings.Database, settings.DataDirectory);
        }
        catch (ArgumentException e)
        {
            throw new SharpbaseStartupException(e.Message, e);
        }
        var (rules, ruleErrors) = AccessRules.Compile(schema, Databases.DialectFor(settings.Database));
        if (rules is null)
        {
            throw new SharpbaseStartupException("the schema's rules are invalid:\n" + string.Join("\n", ruleErrors));
        }
        MigrationResult result;
        try
        {
            // The data folder holds the server's key and mail outbox whichever database holds the records.
            Directory.CreateDirectory(settings.DataDirectory);
            _database = await Databases.OpenAsync(settings.Database, settings.DataDirectory, settings.DatabaseBusyTimeout, settings.SqliteSynchronous, cancellationToken);
            _queries = new QueryStatistics(_database, settings.SlowQueryThreshold, loggers.CreateLogger<QueryStatistics>());
            result = await new Migrator(_database, timeProvider).ApplyAsync(schema, allowDestructive: false, cancellationToken);
        }
        catch (ArgumentException e) when (e.ParamName == "synchronous")
        {
            throw new SharpbaseStartupException("settings.server.sqlite_synchronous: " + e.Message, e);
        }
        catch (MigrationException e)
        {
            throw new SharpbaseStartupException("the database cannot be migrated to this schema: " + e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException or StorageUnavailableException)
        {
            throw new SharpbaseStorageException($"cannot use the database {location}: {e.Message}", e);
        }
        if (!result.Applied)
        {
            var steps = string.Join("\n", result.Plan.Steps.Where(s => s.Destructive).Select(s => "  - " + s.Description));
            throw new SharpbaseStartupException(
                "the schema change needs destructive migrations, which are never applied at start:\n" + steps +
                "\nReview them with `sharpbase migrate plan` and apply them with `sharpbase migrate apply --allow-destructive`.");
        }
        foreach (var step in result.Plan.Steps)
        {
            SharpbaseLog.MigrationApplied(_logger, step.Description);
        }
        _engine = new RecordsEngine(schema, _database, new RecordsOptions
        {
            DefaultPageSize = settings.DefaultPageSize,
            MaxPageSize = settings.MaxPageSize,
            CursorKey = ServerSecret.LoadOrCreate(settings.DataDirectory),
        }, rules);
        var mail = mailOptions.Value;
        if (mail.OutboxDirectory == new MailOptions().OutboxDirectory)
        {
            mail.OutboxDirectory = Path.Combine(settings.DataDirectory, "outbox");
        }
        _auth = new AuthServices(authOptions.Value, mail, settings.DataDirectory, settings.PublicUrl, _database, _engine, timeProvider, loggers);
        await _auth.WarmUpAsync(cancellationToken);
        await SeedSuperuserAsync(cancellationToken);
        if (settings.WatchSchema)
        {
            _watcher = new SchemaWatcher(settings.SchemaPath, timeProvider, () => ReloadSchemaAsync(CancellationToken.None));
        }
        SharpbaseLog.Started(_logger, schema.SourcePath, schema.Collections.Count, location);
    }

    /// <summary>
    /// Reads the schema file again and, when it is valid and needs no destructive migration, migrates
    /// the database and serves it; otherwise keeps serving the current schema and says why.
    /// </summary>
    public async Task<SchemaReload> ReloadSchemaAsync(CancellationToken cancellationToken)
    {
        var schemaPath = options.Value.SchemaPath;
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            if (_engine is not { } engine || _database is not { } database)
            {
                return SchemaReload.Refused("the server is not running");
            }
            var loaded = SchemaLoader.Load(schemaPath);
            if (!loaded.Success)
            {
                return Refuse("the schema is invalid: " + string.Join("; ", loaded.Diagnostics));
            }
            var schema = loaded.Schema!;
            var (rules, ruleErrors) = AccessRules.Compile(schema, database.Dialect);
            if (rules is null)
            {
                return Refuse("the schema's rules are invalid: " + string.Join("; ", ruleErrors));
            }
            MigrationResult result;
            try
            {
                result = await new Migrator(database, timeProvider).ApplyAsync(schema, allowDestructive: false, cancellationToken);
            }
            catch (MigrationException e)
            {
                return Refuse("the database cannot be migrated to it: " + e.Message);
            }
            if (!result.Applied)
            {
                return Refuse("it needs destructive migrations (" + string.Join("; ", result.Plan.Steps.Where(s => s.Destructive).Select(s => s.Description)) +
                    "); review them with `sharpbase migrate plan` and restart after `sharpbase migrate apply --allow-destructive`");
            }
            foreach (var step in result.Plan.Steps)
            {
                SharpbaseLog.MigrationApplied(_logger, step.Description);
            }
            if (!SameSettings(engine.Schema.Settings, schema.Settings))
            {
                SharpbaseLog.SettingsNeedRestart(_logger, schemaPath);
            }
            engine.Reload(schema, rules);
            SharpbaseLog.SchemaReloaded(_logger, schemaPath, schema.Collections.Count, result.Plan.Steps.Count);
            return SchemaReload.Done;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
        {
            return Refuse(e.Message);
        }
        finally
        {
            _reloading.Release();
        }

        SchemaReload Refuse(string reason)
        {
            SharpbaseLog.SchemaReloadRefused(_logger, schemaPath, reason);
            return SchemaReload.Refused(reason);
        }
    }

    private static bool SameSettings(IReadOnlyDictionary<string, string?> current, IReadOnlyDictionary<string, string?> next) =>
        current.Count == next.Count && current.All(pair => next.TryGetValue(pair.Key, out var value) && value == pair.Value);

    // SHARPBASE__SUPERUSER__EMAIL / __PASSWORD create the first superuser, once, on a fresh database.
    private async Task SeedSuperuserAsync(CancellationToken cancellationToken)
    {
        var seed = superuserSeed.Value;
        if (string.IsNullOrEmpty(seed.Email) || string.IsNullOrEmpty(seed.Password) || await Auth.Store.CountSuperusersAsync(cancellationToken) > 0)
        {
            return;
        }
        var created = await SuperuserAccounts.CreateAsync(Auth, seed.Email, seed.Password, cancellationToken);
        if (created.Error is not null)
        {
            throw new SharpbaseStartupException("the superuser from configuration cannot be created: " + created.Error);
        }
        SharpbaseLog.SuperuserCreated(_logger, created.Email!);
    }

    /// <summary>Checks that the database answers.</summary>
    public Task<bool> PingAsync(CancellationToken cancellationToken) =>
        _database is { } database ? database.PingAsync(cancellationToken) : Task.FromResult(false);

    /// <summary>Closes the database cleanly (WAL checkpointed).</summary>
    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        _watcher = null;
        // A reload in progress finishes first; one that starts later finds nothing to reload.
        _engine = null;
        await _reloading.WaitAsync();
        _reloading.Release();
        _auth?.Dispose();
        _auth = null;
        _queries = null;
        if (_database is not null)
        {
            await _database.DisposeAsync();
            SharpbaseLog.DatabaseClosed(_logger);
        }
        _reloading.Dispose();
    }
}
