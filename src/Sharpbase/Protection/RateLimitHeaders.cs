using Microsoft.AspNetCore.Http;

namespace Sharpbase.Protection;

/// <summary>
/// The structured fields of draft-ietf-httpapi-ratelimit-headers, one list item per policy that
/// counted the request: <c>RateLimit-Policy: "auth";q=10;w=60</c> and <c>RateLimit: "auth";r=3;t=42</c>.
/// </summary>
internal static class RateLimitHeaders
{
    public const string Policy = "RateLimit-Policy";
    public const string Limit = "RateLimit";

    public static void Add(HttpResponse response, RateLimitPolicy policy, RateLimitDecision decision)
    {
        Append(response, Policy, policy.PolicyField);
        Append(response, Limit, $"\"{policy.Name}\";r={decision.Remaining};t={RateLimitPolicy.Seconds(decision.Reset)}");
    }

    private static void Append(HttpResponse response, string name, string item)
    {
        var existing = response.Headers[name].ToString();
        response.Headers[name] = existing.Length == 0 ? item : existing + ", " + item;
    }
}
