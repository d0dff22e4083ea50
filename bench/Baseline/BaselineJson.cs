using System.Text.Json.Serialization;

namespace Sharpbase.Bench.Baseline;

[JsonSerializable(typeof(string?[]))]
internal sealed partial class BaselineJson : JsonSerializerContext;
