using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sharpbase.Hosting;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Cli;

/// <summary><c>sharpbase serve [--schema FILE] [--data DIR] [--http HOST:PORT] [--dev]</c></summary>
internal static class ServeCommand
{
    public const string DefaultAddress = "127.0.0.1:8090";

    public static Command Create()
    {
        var schema = CommonOptions.Schema();
        var data = CommonOptions.Data();
        var http = new Option<string?>("--http") { Description = "The address to listen on. Default: " + DefaultAddress };
        var dev = new Option<bool>("--dev") { Description = "Development mode: readable, colored logs instead of JSON lines." };
        var command = new Command("serve", "Serve the API.") { schema, data, http, dev };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var configuration = CommonOptions.Environment();
            var settings = new ServeSettings(
                CommonOptions.ResolveSchema(parseResult.GetValue(schema), configuration),
                CommonOptions.ResolveData(parseResult.GetValue(data), configuration),
                parseResult.GetValue(http) ?? configuration["HTTP"] ?? DefaultAddress,
                parseResult.GetValue(dev) || string.Equals(configuration["DEV"], "true", StringComparison.OrdinalIgnoreCase));
            return RunAsync(settings, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ServeSettings settings, CancellationToken cancellationToken)
    {
        if (!TryParseAddress(settings.Http, out var address, out var port))
        {
            await Console.Error.WriteLineAsync($"sharpbase: --http must be HOST:PORT, e.g. {DefaultAddress} (got '{settings.Http}')");
            return ExitCodes.Usage;
        }
        var loaded = SchemaLoader.Load(settings.SchemaPath);
        if (!loaded.Success)
        {
            foreach (var diagnostic in loaded.Diagnostics)
            {
                await Console.Error.WriteLineAsync(diagnostic.ToString());
            }
            return ExitCodes.Usage;
        }
        if (AccessRules.Compile(loaded.Schema!, Databases.DialectFor(CommonOptions.ResolveDatabase(loaded.Schema!, CommonOptions.Environment()))).Errors is { Count: > 0 } ruleErrors)
        {
            foreach (var error in ruleErrors)
            {
                await Console.Error.WriteLineAsync(error);
            }
            return ExitCodes.Usage;
        }
        // Declared first, so it is flushed last: after the server has logged its shutdown.
        await using var output = BufferedOutput.Install();
        await using var app = Build(settings, loaded.Schema!, address, port, directConsole: output?.Writer);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (SharpbaseStartupException e)
        {
            await Console.Error.WriteLineAsync("sharpbase: " + e.Message);
            return ExitCodes.Usage;
        }
        catch (SharpbaseStorageException e)
        {
            await Console.Error.WriteLineAsync("sharpbase: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"sharpbase: cannot listen on {settings.Http}: {e.Message}");
            return ExitCodes.Failure;
        }
        UnknownSettings.Warn(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sharpbase.Settings"), Environment.GetEnvironmentVariables());
        PrintBanner(settings, loaded.Schema!, app);
        await app.WaitForShutdownAsync(CancellationToken.None);
        return ExitCodes.Ok;
    }

    internal static WebApplication Build(ServeSettings settings, AppSchema schema, IPAddress address, int port, Action<SharpbaseOptions>? configure = null,
        Action<IServiceCollection>? services = null, Utf8Output? directConsole = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = settings.Dev ? Environments.Development : Environments.Production,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        // The schema's settings section layers under the environment, as DESIGN §2 promises.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(SettingsConfiguration.From(schema));
        builder.Configuration.AddEnvironmentVariables(SettingsSections.EnvironmentPrefix);
        builder.Logging.ClearProviders();
        if (settings.Dev)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        else
        {
            builder.Logging.AddJsonConsole();
        }
        // The formatters and options stay; the lines go straight into the buffered output, or out at
        // once on a terminal, and every exception reaches them as its summary (LoggedException).
        builder.Services.RemoveAll<ILoggerProvider>();
        builder.Services.AddSingleton(directConsole ?? new Utf8Output(Console.OpenStandardOutput(), 16 * 1024, flushEveryWrite: true));
        builder.Services.AddSingleton<ILoggerProvider, DirectConsoleLoggerProvider>();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting's own log (request start and end) is never written, and while its category is on,
        // ASP.NET Core makes an activity and a log scope for every request even with no tracer; the
        // request log and the trace id come from Sharpbase (RequestTrace).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port);
            kestrel.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            // Slow clients are dropped: headers within 15 s, bodies and responses at 240 B/s after a 5 s grace.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
            kestrel.Limits.MinResponseDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
        });
        builder.Services.AddSharpbase(options =>
        {
            options.SchemaPath = settings.SchemaPath;
            options.DataDirectory = settings.DataDirectory;
            options.DevMode = settings.Dev;
            options.PublicUrl = "http://" + settings.Http;
            configure?.Invoke(options);
        });
        Telemetry.Add(builder);
        // Tests replace services here (a clock they move); the CLI passes nothing.
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseSharpbase();
        Telemetry.Map(app);
        return app;
    }

    private static void PrintBanner(ServeSettings settings, AppSchema schema, WebApplication app)
    {
        var url = app.Urls.FirstOrDefault() ?? "http://" + settings.Http;
        Console.WriteLine($"Sharpbase {VersionAction.Version} ({(settings.Dev ? "development" : "production")} mode)");
        Console.WriteLine($"  schema:  {settings.SchemaPath}");
        Console.WriteLine($"  data:    {settings.DataDirectory}");
        Console.WriteLine($"  REST:    {url}/api/{{collection}}  ({string.Join(", ", schema.Collections.Select(c => c.Name))})");
        Console.WriteLine($"  batch:   {url}/api/batch");
        Console.WriteLine($"  GraphQL: {url}/graphql");
        Console.WriteLine($"  docs:    {url}/docs  ({url}/openapi.json)");
        Console.WriteLine($"  auth:    {url}/auth/register, {url}/auth/login");
        Console.WriteLine("Press Ctrl+C to stop.");
    }

    internal static bool TryParseAddress(string text, out IPAddress address, out int port)
    {
        address = IPAddress.Loopback;
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 0 or > 65535)
        {
            return false;
        }
        var host = text[..colon].Trim('[', ']');
        if (host == "localhost")
        {
            return true;
        }
        return IPAddress.TryParse(host, out address!);
    }
}

internal sealed record ServeSettings(string SchemaPath, string DataDirectory, string Http, bool Dev);
