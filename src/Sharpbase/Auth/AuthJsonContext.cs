using System.Text.Json.Serialization;

namespace Sharpbase.Auth;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MfaChallenge))]
[JsonSerializable(typeof(AcceptedAnswer))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
