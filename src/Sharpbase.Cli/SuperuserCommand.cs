using System.CommandLine;
using System.Data.Common;
using System.Text;
using Sharpbase.Auth;
using Sharpbase.Schema;
using Sharpbase.Storage.Migrations;
using Sharpbase.Storage;

namespace Sharpbase.Cli;

/// <summary><c>sharpbase superuser create EMAIL [--password P]</c> (asks for the password when omitted).</summary>
internal static class SuperuserCommand
{
    public static Command Create()
    {
        var email = new Argument<string>("EMAIL") { Description = "The superuser's email address." };
        var password = new Option<string?>("--password") { Description = "The password; asked for (without echo) when omitted." };
        var schema = CommonOptions.Schema();
        var data = CommonOptions.Data();
        var create = new Command("create", "Create a superuser, who bypasses rules and manages everything.") { email, password, schema, data };
        create.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = CommonOptions.Environment();
            var loaded = SchemaLoader.Load(CommonOptions.ResolveSchema(parseResult.GetValue(schema), configuration));
            if (!loaded.Success)
            {
                foreach (var diagnostic in loaded.Diagnostics)
                {
                    await Console.Error.WriteLineAsync(diagnostic.ToString());
                }
                return ExitCodes.Usage;
            }
            var secret = parseResult.GetValue(password) ?? ReadPassword();
            if (secret is null)
            {
                await Console.Error.WriteLineAsync("sharpbase: no password given");
                return ExitCodes.Usage;
            }
            var dataDirectory = CommonOptions.ResolveData(parseResult.GetValue(data), configuration);
            try
            {
                await using var database = await Databases.OpenAsync(CommonOptions.ResolveDatabase(loaded.Schema!, configuration), dataDirectory, null, "full", cancellationToken);
                var migrated = await new Migrator(database, TimeProvider.System).ApplyAsync(loaded.Schema!, false, cancellationToken);
                if (!migrated.Applied)
                {
                    await Console.Error.WriteLineAsync("sharpbase: the database needs destructive migrations first; see `sharpbase migrate plan`");
                    return ExitCodes.Usage;
                }
                var rules = new PasswordOptions();
                using var hasher = new PasswordHasher(rules);
                var (created, error) = await SuperuserAccounts.CreateAsync(new AccountStore(database, () => loaded.Schema!), hasher, rules,
                    TimeProvider.System.GetUtcNow().UtcDateTime, parseResult.GetValue(email)!, secret, cancellationToken);
                if (error is not null)
                {
                    await Console.Error.WriteLineAsync("sharpbase: " + error);
                    return ExitCodes.Usage;
                }
                Console.WriteLine($"Superuser {created} created. Sign in at POST /auth/superuser/login.");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException or MigrationException or StorageUnavailableException or ArgumentException)
            {
                await Console.Error.WriteLineAsync("sharpbase: cannot use the database: " + e.Message);
                return ExitCodes.Failure;
            }
        });
        return new Command("superuser", "Manage superusers.") { create };
    }

    private static string? ReadPassword()
    {
        if (Console.IsInputRedirected)
        {
            return Console.ReadLine();
        }
        Console.Write("Password: ");
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return password.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
                continue;
            }
            password.Append(key.KeyChar);
        }
    }
}
