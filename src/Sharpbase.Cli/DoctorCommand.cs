using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Sharpbase.Admin;
using Sharpbase.Hosting;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage.Postgres;
using Sharpbase.Storage.Sqlite;

namespace Sharpbase.Cli;

/// <summary>
/// <c>sharpbase doctor [--schema FILE] [--data DIR] [--dev] [--json]</c> checks the schema, the
/// configuration and the database (the SQLite file, or the PostgreSQL server of the <c>database</c> setting); <c>--url URL --token TOKEN</c> asks a running server's
/// <c>/admin/advisor</c> instead, which adds what its traffic shows. Exits 1 when a finding is an error.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var schema = CommonOptions.Schema();
        var data = CommonOptions.Data();
        var dev = new Option<bool>("--dev") { Description = "Check as for development mode (docs and introspection may be public)." };
        var url = new Option<string?>("--url") { Description = "A running server to ask (its /admin/advisor), e.g. http://127.0.0.1:8090" };
        var token = new Option<string?>("--token") { Description = "A superuser access token for --url. Default: SHARPBASE__TOKEN" };
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON." };
        var command = new Command("doctor", "Find what makes the API slow or unsafe, with the fix for each.") { schema, data, dev, url, token, json };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var configuration = CommonOptions.Environment();
            var asJson = parseResult.GetValue(json);
            if (parseResult.GetValue(url) is { } server)
            {
                return RemoteAsync(server, parseResult.GetValue(token) ?? configuration["TOKEN"], asJson, cancellationToken);
            }
            return LocalAsync(CommonOptions.ResolveSchema(parseResult.GetValue(schema), configuration), CommonOptions.ResolveData(parseResult.GetValue(data), configuration),
                parseResult.GetValue(dev) || string.Equals(configuration["DEV"], "true", StringComparison.OrdinalIgnoreCase), asJson, cancellationToken);
        });
        return command;
    }

    private static async Task<int> LocalAsync(string schemaPath, string dataDirectory, bool dev, bool json, CancellationToken cancellationToken)
    {
        var loaded = SchemaLoader.Load(schemaPath);
        var problems = loaded.Diagnostics.Select(d => d.ToString()).ToList();
        if (loaded.Success)
        {
            problems.AddRange(AccessRules.Compile(loaded.Schema!, new SqliteDialect()).Errors);
        }
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync(problem);
            }
            return ExitCodes.Usage;
        }
        // The same layers as serve: the schema's settings, under SHARPBASE__ variables.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(SettingsConfiguration.From(loaded.Schema!)).AddEnvironmentVariables(SettingsSections.EnvironmentPrefix).Build();
        var setting = configuration["database"];
        if (PostgresConnection.IsPostgres(setting))
        {
            return await PostgresAsync(loaded.Schema!, configuration, setting!, schemaPath, dataDirectory, dev, json, cancellationToken);
        }
        var database = Path.Combine(dataDirectory, "data.db");
        var input = new AdvisorInput(loaded.Schema!, configuration, dev, dataDirectory)
        {
            // Read-only and without Sharpbase's own set-up, so the file is seen as it is.
            OpenReader = File.Exists(database) ? ct => OpenReadOnlyAsync(database, ct) : null,
            WriterSynchronous = _ => Task.FromResult(SynchronousLevel(configuration["server:sqlitesynchronous"])),
        };
        var findings = await Advisor.RunAsync(input, cancellationToken);
        await PrintAsync(findings, json, json ? null : $"Checked {schemaPath}, its settings and {(File.Exists(database) ? database : "no database (none yet in " + dataDirectory + ")")}. "
            + TrafficNote);
        return Advisor.HasErrors(findings) ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private const string TrafficNote = "Indexes and public counts need traffic: run with --url against a running server.";

    // The database setting names PostgreSQL: its own settings (durability) and superusers are read from it.
    private static async Task<int> PostgresAsync(AppSchema schema, IConfiguration configuration, string setting, string schemaPath, string dataDirectory, bool dev, bool json,
        CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = PostgresConnection.Parse(setting);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"sharpbase: the database setting is not a PostgreSQL connection: {e.Message}");
            return ExitCodes.Usage;
        }
        var where = PostgresConnection.Describe(builder);
        builder.Pooling = false;
        var input = new AdvisorInput(schema, configuration, dev, dataDirectory)
        {
            OpenReader = async ct =>
            {
                var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(ct);
                return connection;
            },
        };
        IReadOnlyList<Finding> findings;
        try
        {
            findings = await Advisor.RunAsync(input, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"sharpbase: cannot read PostgreSQL at {where}: {e.Message}");
            return ExitCodes.Failure;
        }
        await PrintAsync(findings, json, json ? null : $"Checked {schemaPath}, its settings and PostgreSQL at {where}. " + TrafficNote);
        return Advisor.HasErrors(findings) ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static async Task<int> RemoteAsync(string server, string? token, bool json, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"sharpbase: --url must be an http(s) URL like http://127.0.0.1:8090 (got '{server}')");
            return ExitCodes.Usage;
        }
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "/admin/advisor"));
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"sharpbase: cannot reach {baseAddress}: {e.Message}");
            return ExitCodes.Failure;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            IReadOnlyList<Finding>? findings = null;
            try
            {
                using var document = JsonDocument.Parse(body);
                findings = response.IsSuccessStatusCode ? FindingsJson.Read(document.RootElement) : null;
                if (findings is null)
                {
                    var detail = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
                    await Console.Error.WriteLineAsync($"sharpbase: {baseAddress} answered {(int)response.StatusCode}: {detail ?? "not an advisor answer"}");
                    return response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden ? ExitCodes.Usage : ExitCodes.Failure;
                }
            }
            catch (JsonException)
            {
                await Console.Error.WriteLineAsync($"sharpbase: {baseAddress} answered {(int)response.StatusCode} without JSON; is it a Sharpbase server?");
                return ExitCodes.Failure;
            }
            await PrintAsync(findings, json, json ? null : $"Asked {baseAddress}: its schema, settings, database and traffic since it started.");
            return Advisor.HasErrors(findings) ? ExitCodes.Failure : ExitCodes.Ok;
        }
    }

    private static async Task PrintAsync(IReadOnlyList<Finding> findings, bool json, string? scope)
    {
        if (json)
        {
            await using var stdout = Console.OpenStandardOutput();
            await using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                FindingsJson.Write(writer, findings);
                writer.WriteEndObject();
            }
            await stdout.WriteAsync("\n"u8.ToArray());
            return;
        }
        foreach (var finding in findings)
        {
            Console.WriteLine($"{finding.Severity,-7} {finding.Id}: {finding.Title}");
            Console.WriteLine($"        evidence: {finding.Evidence}");
            Console.WriteLine($"        fix:      {finding.Fix}");
        }
        var errors = findings.Count(f => f.Severity == Finding.Error);
        var warnings = findings.Count(f => f.Severity == Finding.Warning);
        Console.WriteLine(findings.Count == 0 ? "No findings." : $"{findings.Count} finding(s): {errors} error(s), {warnings} warning(s), {findings.Count - errors - warnings} note(s).");
        Console.WriteLine(scope);
    }

    // What serve would run the writer with; serve refuses anything else at start.
    private static long SynchronousLevel(string? configured) => configured?.Trim().ToUpperInvariant() switch
    {
        "NORMAL" => 1,
        "EXTRA" => 3,
        _ => 2,
    };

    private static async ValueTask<System.Data.Common.DbConnection> OpenReadOnlyAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
