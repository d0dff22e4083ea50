using Microsoft.AspNetCore.Http;

namespace Sharpbase.Protection;

/// <summary>Resolves the client address once per request (see <see cref="ClientAddress"/>).</summary>
internal sealed class ClientAddressMiddleware(RequestDelegate next, ProtectionSettings settings)
{
    public Task InvokeAsync(HttpContext context)
    {
        var address = ClientAddress.Resolve(context.Connection.RemoteIpAddress, context.Request.Headers, settings.Proxies);
        context.Features.Set(new ClientAddressFeature(address));
        return next(context);
    }
}
