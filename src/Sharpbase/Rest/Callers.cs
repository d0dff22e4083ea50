using Sharpbase.Rules;
using Microsoft.AspNetCore.Http;
using Sharpbase.Auth;

namespace Sharpbase.Rest;

/// <summary>The engine's view of the caller of a request.</summary>
internal static class Callers
{
    public static CallerContext From(HttpContext context, TimeProvider timeProvider) => AuthenticationMiddleware.Caller(context, timeProvider);
}
