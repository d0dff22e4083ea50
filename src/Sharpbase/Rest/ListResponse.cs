using Microsoft.AspNetCore.Http;
using Sharpbase.Records;

namespace Sharpbase.Rest;

/// <summary>A page (already UTF-8 JSON) written to the response; its buffer goes back to the pool once written.</summary>
internal sealed class ListResponse(ListResult page) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using (page)
        {
            var response = httpContext.Response;
            response.ContentType = "application/json";
            response.ContentLength = page.Json.Length;
            await response.Body.WriteAsync(page.Json, httpContext.RequestAborted);
        }
    }
}
