using Microsoft.AspNetCore.Http;

namespace Sharpbase.Rest;

/// <summary>A record (already UTF-8 JSON) with its ETag, and Location on create.</summary>
internal sealed class RecordResponse(int status, ReadOnlyMemory<byte> json, long version, string? location = null, bool replayed = false) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.Headers.ETag = HttpPreconditions.ETag(version);
        response.Headers.CacheControl = "private, no-cache";
        if (location is not null)
        {
            response.Headers.Location = location;
        }
        if (replayed)
        {
            response.Headers["Idempotent-Replayed"] = "true";
        }
        if (status == StatusCodes.Status304NotModified || json.IsEmpty)
        {
            return;
        }
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json, httpContext.RequestAborted);
    }
}
