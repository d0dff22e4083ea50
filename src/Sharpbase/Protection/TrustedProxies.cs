using System.Net;

namespace Sharpbase.Protection;

/// <summary>The reverse proxies whose forwarding header is believed, and which header that is.</summary>
internal sealed class TrustedProxies(IReadOnlyList<IPNetwork> networks, bool useForwarded)
{
    public static readonly TrustedProxies None = new([], false);

    public bool UseForwarded { get; } = useForwarded;

    public bool IsEmpty => networks.Count == 0;

    public bool Contains(IPAddress address)
    {
        address = Canonical(address);
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        text = text.Trim();
        if (IPAddress.TryParse(text, out var single) && !text.Contains('/', StringComparison.Ordinal))
        {
            single = Canonical(single);
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return IPNetwork.TryParse(text, out network);
    }

    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
