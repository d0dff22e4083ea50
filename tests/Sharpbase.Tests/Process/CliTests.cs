using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sharpbase.Tests.Process;

[Collection(ProcessTestGroup.Name)]
public sealed class CliTests : IDisposable
{
    private const string DatabasePassword = "s3cret-Pa55";

    private readonly TempFolder _folder = new();
    private readonly List<SharpbaseProcess> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        _folder.Dispose();
    }

    [Fact]
    public async Task Version_PrintsVersionAndExitsZero()
    {
        var result = await RunAsync("version");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("sharpbase 0.1.0", result.Stdout.Trim());
    }

    [Fact]
    public async Task SchemaValidate_BlogExample_ExitsZero()
    {
        var result = await RunAsync("schema", "validate", SharpbaseProcess.BlogSchemaPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task SchemaValidate_SeveralErrors_ExitsTwoAndListsEveryOneWithFileAndLine()
    {
        var path = _folder.Write("broken.yaml", """
            collections:
              posts:
                fields:
                  title:  { type: txt }
                  author: { type: relation, collection: user }
                  views:  { type: integer, min: 5, max: 1 }
              select:
                fields:
                  n: { type: integer }
            """);

        var result = await RunAsync("schema", "validate", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        var diagnostics = result.Stderr.Split('\n').Where(line => Regex.IsMatch(line, $@"^{Regex.Escape(path)}:\d+: \S+: .+$")).ToList();
        Assert.Collection(diagnostics,
            line => Assert.StartsWith($"{path}:4: collections.posts.fields.title: unknown type 'txt'", line, StringComparison.Ordinal),
            line => Assert.StartsWith($"{path}:5: collections.posts.fields.author: relation target 'user' does not exist", line, StringComparison.Ordinal),
            line => Assert.StartsWith($"{path}:6: collections.posts.fields.views: ", line, StringComparison.Ordinal),
            line => Assert.StartsWith($"{path}:7: collections.select: ", line, StringComparison.Ordinal));
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task SchemaValidate_SettingsTheServerRefuses_ExitsTwoNamingEach()
    {
        var path = _folder.Write("settings.yaml", """
            collections:
              tags:
                fields:
                  name: { type: text }
            settings:
              mail: { smtp_port: 0 }
              auth: { jwt: { access_token_lifetime: soon } }
              graphql: { max_depth: 0 }
              cors: { origins: ["*"], credentials: true }
            """);

        var result = await RunAsync("schema", "validate", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{path}: settings: mail: smtp_port must be 1–65535", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{path}: settings: Failed to convert configuration value 'soon' at 'auth:Jwt:AccessTokenLifetime'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{path}: settings: graphql: max_document_bytes, max_depth", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{path}: settings: settings.cors: origins '*' together with credentials: true", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("4 problem(s) found.", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("serve", "--bogus")]
    [InlineData("migrate", "plan", "--nope")]
    [InlineData("migrate")]
    public async Task Run_UnknownCommandOrOption_ExitsTwoWithMessage(params string[] args)
    {
        var result = await RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("sharpbase: ", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Combine("sb_data")), "bad usage must not create a data folder");
    }

    [Fact]
    public async Task Serve_InvalidSchema_ExitsTwoWithDiagnosticsAndTouchesNothing()
    {
        var path = _folder.Write("sharpbase.yaml", """
            collections:
              posts:
                fields:
                  title: { type: txt }
            """);

        var result = await RunAsync("serve", "--http", $"127.0.0.1:{SharpbaseProcess.FreePort()}");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("sharpbase.yaml:4: collections.posts.fields.title: unknown type 'txt'", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
        Assert.False(Directory.Exists(_folder.Combine("sb_data")), "an invalid schema must not create a data folder");
    }

    // README: with no command at all, serve runs; that includes options without a command.
    [Fact]
    public async Task OptionsWithoutCommand_Serve()
    {
        _folder.Write("sharpbase.yaml", """
            collections:
              posts:
                fields:
                  title: { type: txt }
            """);

        var result = await RunAsync("--dev", "--http", $"127.0.0.1:{SharpbaseProcess.FreePort()}");
        var help = await RunAsync("--help");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("sharpbase.yaml:4: collections.posts.fields.title: unknown type 'txt'", result.Stderr, StringComparison.Ordinal);
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("migrate", help.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:")]
    [InlineData("not a host:8090")]
    public async Task Serve_InvalidHttpAddress_ExitsTwo(string address)
    {
        var result = await RunAsync("serve", "--schema", SharpbaseProcess.BlogSchemaPath, "--http", address);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--http", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Combine("sb_data")));
    }

    [Fact]
    public async Task Serve_PortInUse_ExitsOneSayingItCannotListen()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var result = await RunAsync("serve", "--schema", SharpbaseProcess.BlogSchemaPath, "--http", $"127.0.0.1:{port}");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"sharpbase: cannot listen on 127.0.0.1:{port}", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task Serve_DataFolderIsAFile_ExitsOneNamingTheDataFolder()
    {
        var notAFolder = _folder.Write("not-a-folder", "just a file");

        var result = await RunAsync("serve", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", notAFolder, "--http", $"127.0.0.1:{SharpbaseProcess.FreePort()}");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(notAFolder, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot listen", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Theory]
    [InlineData("serve", "--dev")]
    [InlineData("migrate", "plan")]
    [InlineData("migrate", "apply")]
    public async Task Run_CorruptDatabaseFile_ExitsOneWithMessageAndLeavesTheFileAlone(params string[] command)
    {
        Directory.CreateDirectory(_folder.Combine("data"));
        var database = _folder.Write(Path.Combine("data", "data.db"), "this is not an SQLite database, and it must not be overwritten");

        var result = await RunAsync([.. command, "--schema", SharpbaseProcess.BlogSchemaPath, "--data", _folder.Combine("data"), .. command[0] == "serve" ? new[] { "--http", $"127.0.0.1:{SharpbaseProcess.FreePort()}" } : []]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(database, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("not a database", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
        Assert.Equal("this is not an SQLite database, and it must not be overwritten", File.ReadAllText(database));
    }

    [Theory]
    [InlineData("SHARPBASE__DATABASE", $"Port=5432;Username=app;Password={DatabasePassword}", "the database connection string has no Host")]
    [InlineData("SHARPBASE__DATABASE", $";Maximum Pool Size=8;Password={DatabasePassword}", "the database connection string has no Host")]
    [InlineData("SHARPBASE__DATABASE", $"Host=127.0.0.1;Multiplexing=true;Pooling=false;Password={DatabasePassword}", "the database connection string is not valid: Pooling must be on to use multiplexing")]
    [InlineData("SHARPBASE__REDIS", "::::", "settings.redis: a server is not a host name or address (expected host:port[,option=value…], e.g. 127.0.0.1:6379)")]
    [InlineData("SHARPBASE__REDIS", $"redis://:{DatabasePassword}@cache:6379", "settings.redis: a server is not a host name or address")]
    [InlineData("SHARPBASE__REDIS", $"cache:abc,password={DatabasePassword}", "settings.redis: names no server (expected host:port[,option=value…], e.g. 127.0.0.1:6379)")]
    [InlineData("SHARPBASE__REDIS", "cache:99999", "settings.redis: not a Redis setting (host:port[,option=value…]): port ('99999') must be less than or equal to '65535'.")]
    [InlineData("SHARPBASE__REDIS", $"127.0.0.1:6379,password={DatabasePassword},bogus=1", "settings.redis: not a Redis setting (host:port[,option=value…]): Keyword 'bogus' is not supported.")]
    [InlineData("SHARPBASE__REDIS", $"127.0.0.1:6379,password={DatabasePassword},connectTimeout={DatabasePassword}",
        "settings.redis: not a Redis setting (host:port[,option=value…]): Keyword 'connectTimeout' requires an integer value; the value '***' is not recognised.")]
    public async Task Serve_InvalidConnectionSetting_ExitsTwoSayingWhy_WithoutStackTraceOrPassword(string key, string setting, string reason)
    {
        var result = await SharpbaseProcess.RunAsync(_folder.Path, new Dictionary<string, string> { [key] = setting },
            "serve", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", _folder.Combine("data"), "--http", $"127.0.0.1:{SharpbaseProcess.FreePort()}");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("sharpbase: " + reason, result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
        Assert.DoesNotContain(DatabasePassword, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SHARPBASE__SERVER__MAXPAGESIZE", "99999999999", "Failed to convert configuration value '99999999999' at 'server:MaxPageSize' to type 'System.Int32'.")]
    [InlineData("SHARPBASE__SERVER__WATCHSCHEMA", "perhaps", "Failed to convert configuration value 'perhaps' at 'server:WatchSchema' to type 'System.Boolean'.")]
    [InlineData("SHARPBASE__SERVER__MAXPAGESIZE", "0", "server: max_body_bytes, max_json_depth and default_page_size must be at least 1, and max_page_size at least default_page_size")]
    [InlineData("SHARPBASE__LOGGING__LOGLEVEL__DEFAULT", "Loud", "Configuration value 'Loud' is not supported.")]
    [InlineData("SHARPBASE__GRAPHQL__MAXDEPTH", "abc", "Failed to convert configuration value 'abc' at 'graphql:MaxDepth' to type 'System.Int32'.")]
    [InlineData("SHARPBASE__GRAPHQL__MAXDEPTH", "-5", "graphql: max_document_bytes, max_depth, max_fields and max_batch must be at least 1")]
    [InlineData("SHARPBASE__DOCS__ENABLED", "2", "Failed to convert configuration value '2' at 'docs:Enabled' to type 'System.Boolean'.")]
    [InlineData("SHARPBASE__AUTH__JWT__ACCESSTOKENLIFETIME", "-1", "auth: every token lifetime")]
    [InlineData("SHARPBASE__AUTH__FAILURESBEFORELOCK", "0", "auth: failures_before_delay, failures_before_lock and failures_per_address must be at least 1")]
    [InlineData("SHARPBASE__MAIL__SMTPPORT", "70000", "mail: smtp_port must be 1–65535")]
    [InlineData("SHARPBASE__SUPERUSER__EMAIL", "admin@example.com", "superuser: email and password go together (SHARPBASE__SUPERUSER__EMAIL and SHARPBASE__SUPERUSER__PASSWORD): set both, or neither")]
    [InlineData("SHARPBASE__SUPERUSER__PASSWORD", "a-long-password-1", "superuser: email and password go together")]
    [InlineData("SHARPBASE__SERVER__MAXPAGESIZ", "50", "unknown setting 'server:MAXPAGESIZ' (did you mean server.max_page_size, or SHARPBASE__SERVER__MAXPAGESIZE?); server holds: "
        + "database_busy_timeout, default_page_size, max_body_bytes, max_json_depth, max_page_size, slow_query_threshold, sqlite_synchronous, watch_schema")]
    [InlineData("SHARPBASE__SERVER__PUBLICURL", "http://example.com", "unknown setting 'server:PUBLICURL'; server holds: ")]
    [InlineData("SHARPBASE__AUTH__JWT__ACCESSTOKENLIFE", "00:10:00", "unknown setting 'auth:JWT:ACCESSTOKENLIFE' (did you mean auth.jwt.access_token_lifetime, or SHARPBASE__AUTH__JWT__ACCESSTOKENLIFETIME?)")]
    [InlineData("SHARPBASE__CORS__ORIGIN__0", "https://app.example.com", "unknown setting 'cors:ORIGIN' (did you mean cors.origins, or SHARPBASE__CORS__ORIGINS?)")]
    [InlineData("SHARPBASE__RATELIMITS__0__LIMT", "5", "unknown setting 'ratelimits:0:LIMT' (did you mean rate_limits[0].limit, or SHARPBASE__RATELIMITS__0__LIMIT?)")]
    [InlineData("SHARPBASE__LOGGING__LOGLEVL__DEFAULT", "Debug", "unknown setting 'logging:LOGLEVL' (did you mean logging.log_level, or SHARPBASE__LOGGING__LOGLEVEL?); logging holds: console, log_level")]
    [InlineData("SHARPBASE__TRUSTEDPROXIES__FIRST", "10.0.0.1", "'trustedproxies' is a list: 'trustedproxies:FIRST' is not one of its items")]
    [InlineData("SHARPBASE__GRAPHQL__MAXDEPTH__LIMIT", "5", "'graphql:MAXDEPTH' takes a single value, not a section or a list ('graphql:MAXDEPTH:LIMIT' given)")]
    public async Task Serve_InvalidConfigurationValue_ExitsTwoNamingIt_BeforeServingAnything(string key, string value, string message)
    {
        var port = SharpbaseProcess.FreePort();

        var result = await SharpbaseProcess.RunAsync(_folder.Path, new Dictionary<string, string> { [key] = value },
            "serve", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", _folder.Combine("data"), "--http", $"127.0.0.1:{port}");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("sharpbase: the configuration is not valid: " + message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Press Ctrl+C", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Combine("data", "data.db")), "an invalid setting must stop the start before the database is opened");
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task ServeAndSchemaValidate_UnknownKeysInTheSchemaFilesSettings_ExitTwoNamingEach()
    {
        var schema = _folder.Write("sharpbase.yaml", """
            collections:
              notes:
                fields:
                  title: { type: text }
            settings:
              server: { max_page_siz: 50, watch_schema: false }
              cors: { origin: ["https://app.example.com"] }
              metrics: { tokn: "a-long-secret-token" }
              rate_limits:
                - { name: api, routes: ["GET /api/*"], per: ip, limit: 10, windw: 1m }
            """);

        var result = await SharpbaseProcess.RunAsync(_folder.Path, new Dictionary<string, string>(),
            "serve", "--schema", schema, "--data", _folder.Combine("data"), "--http", $"127.0.0.1:{SharpbaseProcess.FreePort()}");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("unknown setting 'server:maxpagesiz' (did you mean server.max_page_size, or SHARPBASE__SERVER__MAXPAGESIZE?)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown setting 'metrics:tokn' (did you mean metrics.token, or SHARPBASE__METRICS__TOKEN?); metrics holds: token", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown setting 'cors:origin' (did you mean cors.origins, or SHARPBASE__CORS__ORIGINS?)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown setting 'ratelimits:0:windw' (did you mean rate_limits[0].window, or SHARPBASE__RATELIMITS__0__WINDOW?)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("'server:watchschema'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-secret-token", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Combine("data", "data.db")), "an unknown setting must stop the start before the database is opened");
        AssertNoStackTrace(result);
        var validated = await RunAsync("schema", "validate", schema);
        Assert.True(validated.ExitCode == 2, validated.ToString());
        Assert.Contains($"{schema}: settings: unknown setting 'cors:origin' (did you mean cors.origins, or SHARPBASE__CORS__ORIGINS?)", validated.Stderr, StringComparison.Ordinal);
        // Beside the four unknown keys, what the server would refuse once they are mended: the policy has no window.
        Assert.Contains($"{schema}: settings: settings.rate_limits[0].window: '' is not a window", validated.Stderr, StringComparison.Ordinal);
        Assert.Contains("5 problem(s) found.", validated.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_DatabaseRefusesConnections_ExitsOne_LogsTheFailureAsTypesAndCodesOnly(bool dev)
    {
        var port = SharpbaseProcess.FreePort();

        var result = await SharpbaseProcess.RunAsync(_folder.Path, new Dictionary<string, string> { ["SHARPBASE__DATABASE"] = $"postgres://app:{DatabasePassword}@127.0.0.1:{port}/shop" },
            ["serve", "--schema", SharpbaseProcess.BlogSchemaPath, "--http", $"127.0.0.1:{SharpbaseProcess.FreePort()}", .. dev ? new[] { "--dev" } : []]);

        Assert.True(result.ExitCode == 1, result.ToString());
        var reason = $"cannot use the database postgresql://127.0.0.1:{port}/shop: Failed to connect to 127.0.0.1:{port}";
        Assert.Contains("sharpbase: " + reason, result.Stderr, StringComparison.Ordinal);
        var summary = $"Sharpbase.Hosting.SharpbaseStorageException: {reason} ---> Npgsql.NpgsqlException (db -2147467259) ---> System.Net.Sockets.SocketException (socket ConnectionRefused)";
        if (dev)
        {
            Assert.Contains("Hosting failed to start " + summary, result.Stdout, StringComparison.Ordinal);
        }
        else
        {
            var failure = result.Stdout.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
                .Single(r => r.GetProperty("Message").GetString() == "Hosting failed to start");
            Assert.Equal(summary, failure.GetProperty("Exception").GetString());
        }
        AssertNoStackTrace(result);
        Assert.DoesNotContain(DatabasePassword, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_EnvironmentVariableNamingNoSetting_WarnsWithTheNameItMeant_NeverTheValue()
    {
        var port = SharpbaseProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["SHARPBASE__TRUSTED_PROXIES__0"] = "10.9.8.7",
            ["SHARPBASE__SERVR__MAXPAGESIZE"] = "50",
            ["SHARPBASE__WIDGETS"] = "a-value-that-must-stay-out-of-the-log",
            ["SHARPBASE__SERVER__MAXPAGESIZE"] = "100",
        };
        var server = Track(SharpbaseProcess.Start(_folder.Path, environment,
            "serve", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", _folder.Combine("data"), "--http", $"127.0.0.1:{port}"));

        await server.WaitForOutputAsync("Press Ctrl+C", SharpbaseProcess.StartTimeout);
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(15)));

        var warnings = server.Stdout.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("EventId").GetInt32() == 20).Select(r => r.GetProperty("Message").GetString()).ToList();
        Assert.Equal(
        [
            "The environment variable SHARPBASE__SERVR__MAXPAGESIZE names no setting, so nothing reads it (did you mean SHARPBASE__SERVER__MAXPAGESIZE?)",
            "The environment variable SHARPBASE__TRUSTED_PROXIES__0 names no setting, so nothing reads it (did you mean SHARPBASE__TRUSTEDPROXIES__0?)",
            "The environment variable SHARPBASE__WIDGETS names no setting, so nothing reads it",
        ], warnings);
        Assert.DoesNotContain("a-value-that-must-stay-out-of-the-log", server.Stdout + server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoArgumentsInEmptyFolder_ServesBundledExampleFromSbDataAndPrintsUrl()
    {
        var port = SharpbaseProcess.FreePort();
        var server = Track(SharpbaseProcess.Start(_folder.Path, new Dictionary<string, string> { ["SHARPBASE__HTTP"] = $"127.0.0.1:{port}" }));

        await server.WaitForHttpAsync(new Uri($"http://127.0.0.1:{port}/api/posts"), SharpbaseProcess.StartTimeout);
        await server.WaitForOutputAsync("Press Ctrl+C", SharpbaseProcess.StartTimeout);
        server.Terminate();
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(15));

        Assert.Contains($"http://127.0.0.1:{port}/api/", server.Stdout, StringComparison.Ordinal);
        Assert.Contains(SharpbaseProcess.BlogSchemaPath, server.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(_folder.Combine("sb_data", "data.db")), "no ./sb_data/data.db\n" + server.Describe());
        Assert.Equal(0, exitCode);
        Assert.Contains("title", SqliteFile.Columns(_folder.Combine("sb_data", "data.db"), "posts"));
    }

    [Fact]
    public async Task Serve_EnvironmentVariables_ChooseSchemaDataAddressAndMode()
    {
        _folder.Write("sharpbase.yaml", "collections:\n  decoys:\n    fields:\n      name: { type: text }\n");
        Directory.CreateDirectory(_folder.Combine("config"));
        var schemaPath = _folder.Write(Path.Combine("config", "widgets.yaml"), "collections:\n  widgets:\n    rules: { list: \"true\" }\n    fields:\n      name: { type: text }\n");
        var port = SharpbaseProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["SHARPBASE__SCHEMA"] = schemaPath,
            ["SHARPBASE__DATA"] = _folder.Combine("store"),
            ["SHARPBASE__HTTP"] = $"127.0.0.1:{port}",
            ["SHARPBASE__DEV"] = "true",
        };
        var server = Track(SharpbaseProcess.Start(_folder.Path, environment, "serve"));
        var widgets = new Uri($"http://127.0.0.1:{port}/api/widgets");
        await server.WaitForHttpAsync(widgets, SharpbaseProcess.StartTimeout);

        using var client = new HttpClient();
        using var list = await client.GetAsync(widgets);
        using var decoys = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/api/decoys"));
        server.Terminate();
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, decoys.StatusCode);
        Assert.True(File.Exists(_folder.Combine("store", "data.db")), server.Describe());
        Assert.False(Directory.Exists(_folder.Combine("sb_data")));
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task MigratePlan_FreshFolder_ListsCreateCollectionStepsAndChangesNothing()
    {
        var data = _folder.Combine("data");

        var result = await RunAsync("migrate", "plan", "--schema", SharpbaseProcess.BlogSchemaPath, "--data", data);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("+ create collection 'users'", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("+ create collection 'posts'", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("+ create collection 'tags'", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[destructive]", result.Stdout, StringComparison.Ordinal);
        var database = Path.Combine(data, "data.db");
        Assert.True(!File.Exists(database) || SqliteFile.Rows(database, "SELECT name FROM sqlite_master WHERE type = 'table'").Count == 0, "plan must not create tables");
    }

    // The log (standard output) as well as the message: the host logs the failure that stopped it.
    private static void AssertNoStackTrace(CliResult result) =>
        Assert.False(Regex.IsMatch(result.Stdout + result.Stderr, @"(\n|\\n) +at |Unhandled exception|--- End of stack trace"), "an operator error must not print or log a stack trace:\n" + result);

    private Task<CliResult> RunAsync(params string[] args) => SharpbaseProcess.RunAsync(_folder.Path, null, args);

    private SharpbaseProcess Track(SharpbaseProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
