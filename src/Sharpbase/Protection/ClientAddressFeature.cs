using System.Net;

namespace Sharpbase.Protection;

/// <summary>The client address of a request, resolved once through the trusted proxies.</summary>
internal sealed record ClientAddressFeature(IPAddress? Address);
