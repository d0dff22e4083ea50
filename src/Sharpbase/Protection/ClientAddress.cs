using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Sharpbase.Protection;

/// <summary>
/// The address of the client of a request. <c>X-Forwarded-For</c> (or <c>Forwarded</c>) is believed
/// only when the connection comes from a configured trusted proxy, and then only up to the
/// right-most address that is not itself a trusted proxy: everything left of that was written by
/// the client and proves nothing. <c>X-Real-IP</c> is never read.
/// </summary>
public static class ClientAddress
{
    /// <summary>The client address of the request (the peer address when no trusted proxy forwarded it); null when unknown.</summary>
    public static IPAddress? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<ClientAddressFeature>() is { } feature)
        {
            return feature.Address;
        }
        return context.Connection.RemoteIpAddress is { } peer ? TrustedProxies.Canonical(peer) : null;
    }

    /// <summary>The partition key of an address: IPv4 as is, IPv6 by its /64 (one subscriber's usual allocation).</summary>
    internal static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        address = TrustedProxies.Canonical(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    internal static IPAddress? Resolve(IPAddress? peer, IHeaderDictionary headers, TrustedProxies proxies)
    {
        if (peer is null)
        {
            return null;
        }
        var client = TrustedProxies.Canonical(peer);
        if (proxies.IsEmpty || !proxies.Contains(client))
        {
            return client;
        }
        var hops = proxies.UseForwarded ? ForwardedFor(headers["Forwarded"]) : XForwardedFor(headers["X-Forwarded-For"]);
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            if (hops[i] is not { } hop)
            {
                // Unreadable: the hop that added it is the last one we can vouch for.
                return client;
            }
            client = TrustedProxies.Canonical(hop);
            if (!proxies.Contains(client))
            {
                return client;
            }
        }
        return client;
    }

    private static List<IPAddress?> XForwardedFor(StringValues values)
    {
        var hops = new List<IPAddress?>();
        foreach (var value in values)
        {
            foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                hops.Add(ParseNode(part));
            }
        }
        return hops;
    }

    // RFC 7239: Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"
    private static List<IPAddress?> ForwardedFor(StringValues values)
    {
        var hops = new List<IPAddress?>();
        foreach (var value in values)
        {
            foreach (var element in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                IPAddress? address = null;
                foreach (var pair in element.Split(';', StringSplitOptions.TrimEntries))
                {
                    if (pair.StartsWith("for=", StringComparison.OrdinalIgnoreCase))
                    {
                        address = ParseNode(pair[4..].Trim('"'));
                    }
                }
                hops.Add(address);
            }
        }
        return hops;
    }

    private static IPAddress? ParseNode(string node)
    {
        if (node.StartsWith('['))
        {
            var end = node.IndexOf(']', StringComparison.Ordinal);
            return end > 0 && IPAddress.TryParse(node.AsSpan(1, end - 1), out var v6) ? v6 : null;
        }
        if (IPAddress.TryParse(node, out var address))
        {
            return address;
        }
        // IPv4 with a port.
        var colon = node.LastIndexOf(':');
        return colon > 0 && node.IndexOf(':', StringComparison.Ordinal) == colon && IPAddress.TryParse(node.AsSpan(0, colon), out var v4) ? v4 : null;
    }
}
