using System.CommandLine;
using System.Data.Common;
using Sharpbase.Schema;
using Sharpbase.Storage.Migrations;
using Sharpbase.Storage;

namespace Sharpbase.Cli;

/// <summary><c>sharpbase migrate plan|apply [--allow-destructive]</c></summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var plan = new Command("plan", "Show what the database needs to match the schema, destructive steps included.");
        var apply = new Command("apply", "Apply the migration.");
        var allowDestructive = new Option<bool>("--allow-destructive") { Description = "Also apply steps that drop or narrow data." };
        apply.Options.Add(allowDestructive);
        foreach (var command in new[] { plan, apply })
        {
            command.Options.Add(CommonOptions.Schema());
            command.Options.Add(CommonOptions.Data());
        }
        plan.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, apply: false, allowDestructive: false, cancellationToken));
        apply.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, apply: true, parseResult.GetValue(allowDestructive), cancellationToken));
        return new Command("migrate", "Plan or apply schema migrations.") { plan, apply };
    }

    private static async Task<int> RunAsync(ParseResult parseResult, bool apply, bool allowDestructive, CancellationToken cancellationToken)
    {
        var configuration = CommonOptions.Environment();
        var schemaPath = CommonOptions.ResolveSchema(parseResult.GetValue<string?>("--schema"), configuration);
        var dataDirectory = CommonOptions.ResolveData(parseResult.GetValue<string?>("--data"), configuration);
        var loaded = SchemaLoader.Load(schemaPath);
        if (!loaded.Success)
        {
            foreach (var diagnostic in loaded.Diagnostics)
            {
                await Console.Error.WriteLineAsync(diagnostic.ToString());
            }
            return ExitCodes.Usage;
        }
        var setting = CommonOptions.ResolveDatabase(loaded.Schema!, configuration);
        string location;
        try
        {
            location = Databases.Describe(setting, dataDirectory);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("sharpbase: " + e.Message);
            return ExitCodes.Usage;
        }
        try
        {
            await using var database = await Databases.OpenAsync(setting, dataDirectory, null, "full", cancellationToken);
            return await MigrateAsync(database, loaded.Schema!, apply, allowDestructive, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException or StorageUnavailableException)
        {
            await Console.Error.WriteLineAsync($"sharpbase: cannot use the database {location}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> MigrateAsync(Database database, AppSchema schema, bool apply, bool allowDestructive, CancellationToken cancellationToken)
    {
        var migrator = new Migrator(database, TimeProvider.System);
        MigrationPlan planned;
        try
        {
            planned = await migrator.PlanAsync(schema, cancellationToken);
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync("sharpbase: the database cannot be migrated to this schema: " + e.Message);
            return ExitCodes.Failure;
        }
        Print(planned);
        if (!apply || planned.IsEmpty)
        {
            return ExitCodes.Ok;
        }
        try
        {
            var result = await migrator.ApplyAsync(schema, allowDestructive, cancellationToken);
            if (!result.Applied)
            {
                await Console.Error.WriteLineAsync("sharpbase: destructive steps were not applied; rerun with --allow-destructive to apply them.");
                return ExitCodes.Usage;
            }
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync("sharpbase: migration failed, nothing changed: " + e.Message);
            return ExitCodes.Failure;
        }
        Console.WriteLine("Applied.");
        return ExitCodes.Ok;
    }

    private static void Print(MigrationPlan plan)
    {
        if (plan.IsEmpty)
        {
            Console.WriteLine("The database matches the schema; nothing to do.");
            return;
        }
        foreach (var step in plan.Steps)
        {
            Console.WriteLine($"{(step.Destructive ? "[destructive] " : "+ ")}{step.Description}");
            foreach (var sql in step.Statements)
            {
                Console.WriteLine("    " + sql + ";");
            }
        }
    }
}
