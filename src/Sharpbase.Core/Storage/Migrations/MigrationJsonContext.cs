using System.Text.Json.Serialization;

namespace Sharpbase.Storage.Migrations;

[JsonSerializable(typeof(List<string>))]
internal sealed partial class MigrationJsonContext : JsonSerializerContext;
