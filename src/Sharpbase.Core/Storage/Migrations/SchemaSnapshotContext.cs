using System.Text.Json.Serialization;
using Sharpbase.Schema;

namespace Sharpbase.Storage.Migrations;

/// <summary>Serializes the applied collections, which migrations diff against.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<CollectionDef>))]
internal sealed partial class SchemaSnapshotContext : JsonSerializerContext;
