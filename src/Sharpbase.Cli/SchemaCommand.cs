using System.CommandLine;
using Sharpbase.Schema;

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
            var path = CommonOptions.ResolveSchema(parseResult.GetValue(file), CommonOptions.Environment());
            var loaded = SchemaLoader.Load(path);
            if (!loaded.Success)
            {
                foreach (var diagnostic in loaded.Diagnostics)
                {
                    Console.Error.WriteLine(diagnostic.ToString());
                }
                Console.Error.WriteLine($"{loaded.Diagnostics.Count} problem(s) found.");
                return ExitCodes.Usage;
            }
            var schema = loaded.Schema!;
            Console.WriteLine($"{path}: ok ({schema.Collections.Count} collections: {string.Join(", ", schema.Collections.Select(c => $"{c.Name} ({c.Fields.Count} fields)"))})");
            return ExitCodes.Ok;
        });
        return new Command("schema", "Work with the schema file.") { validate };
    }
}
