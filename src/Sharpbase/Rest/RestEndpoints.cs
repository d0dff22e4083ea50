using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Sharpbase.Rest;

/// <summary>The REST API: <c>/api/{collection}</c>, <c>/api/{collection}/{id}</c> and <c>/api/batch</c>.</summary>
public static class RestEndpoints
{
    /// <summary>Maps the REST routes.</summary>
    public static IEndpointRouteBuilder MapRest(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var records = endpoints.ServiceProvider.GetRequiredService<RecordHandlers>();
        var api = endpoints.MapGroup("/api").WithTags("records");
        api.MapPost("/batch", BatchHandler.HandleAsync).WithName("batch").WithSummary("Several writes in one transaction, all or nothing");
        // Without this, GET /api/batch would be read as listing a collection named "batch".
        api.MapMethods("/batch", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], BatchHandler.MethodNotAllowed).ExcludeFromDescription();
        api.MapGet("/{collection}", records.ListAsync).WithName("list").WithSummary("List records");
        api.MapPost("/{collection}", records.CreateAsync).WithName("create").WithSummary("Create a record");
        api.MapGet("/{collection}/{id}", records.GetAsync).WithName("get").WithSummary("Get a record");
        api.MapPatch("/{collection}/{id}", records.UpdateAsync).WithName("update").WithSummary("Update a record (JSON merge patch)");
        api.MapDelete("/{collection}/{id}", records.DeleteAsync).WithName("delete").WithSummary("Delete a record");
        return endpoints;
    }
}
