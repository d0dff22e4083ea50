using System.CommandLine;
using Sharpbase.Hosting;
using Sharpbase.Rules;
using Sharpbase.Schema;
using Sharpbase.Storage;

namespace Sharpbase.Cli;

/// <summary><c>sharpbase schema validate [FILE]</c></summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("FILE") { Description = "The schema file. Default: as for serve.", Arity = ArgumentArity.ZeroOrOne };
        var validate = new Command("validate", "Check a schema file and report every problem in it.") { file };
        validate.SetAction(parseResult =>
        {
            var configuration = CommonOptions.Environment();
            var path = CommonOptions.ResolveSchema(parseResult.GetValue(file), configuration);
            var loaded = SchemaLoader.Load(path);
            var problems = loaded.Diagnostics.Select(d => d.ToString()).ToList();
            if (loaded.Success)
            {
                problems.AddRange(AccessRules.Compile(loaded.Schema!, Databases.DialectFor(CommonOptions.ResolveDatabase(loaded.Schema!, configuration))).Errors);
                // Keys inside the settings' sections, as the server checks them when it starts (the file's alone: not the environment's).
                var settings = new ConfigurationBuilder().AddInMemoryCollection(SettingsConfiguration.From(loaded.Schema!)).Build();
                problems.AddRange(SettingsKeysValidation.UnknownKeys(settings).Concat(SettingsCheck.Problems(settings)).Select(problem => $"{path}: settings: {problem}"));
            }
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine(problem);
                }
                Console.Error.WriteLine($"{problems.Count} problem(s) found.");
                return ExitCodes.Usage;
            }
            var schema = loaded.Schema!;
            Console.WriteLine($"{path}: ok ({schema.Collections.Count} collections: {string.Join(", ", schema.Collections.Select(c => $"{c.Name} ({c.Fields.Count} fields)"))})");
            return ExitCodes.Ok;
        });
        return new Command("schema", "Work with the schema file.") { validate };
    }
}
