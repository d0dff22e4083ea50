using System.Text.Json.Serialization;

namespace Sharpbase.Records;

[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
internal sealed partial class RecordsJsonContext : JsonSerializerContext;
