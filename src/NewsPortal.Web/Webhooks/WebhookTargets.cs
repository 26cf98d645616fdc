using System.Net;
using System.Net.Sockets;

namespace NewsPortal.Web.Webhooks;

/// <summary>
/// Where webhooks may go: public addresses only, unless an operator allows an internal network on purpose
/// (<see cref="WebhookOptions.AllowedNetworks"/>). Checked when a subscriber registers and again on every connection,
/// against the address actually connected to, so a name that later resolves inward (DNS rebinding) is refused too.
/// </summary>
public sealed class WebhookTargets(IReadOnlyList<IPNetwork> allowed)
{
    /// <summary>Loopback, private, shared (CGNAT), link-local (cloud metadata), multicast, reserved and unspecified ranges.</summary>
    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001::/32"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>
    /// IPv6 forms that carry an IPv4 address a gateway may connect to: NAT64's well-known prefix, IPv4-compatible,
    /// IPv4-translated (the last 32 bits) and 6to4 (bits 16 to 47). Judged by the IPv4 address they carry.
    /// </summary>
    private static readonly (IPNetwork Network, int Offset)[] CarryIPv4 =
    [
        (IPNetwork.Parse("64:ff9b::/96"), 12), (IPNetwork.Parse("::/96"), 12), (IPNetwork.Parse("::ffff:0:0:0/96"), 12),
        (IPNetwork.Parse("2002::/16"), 2),
    ];

    public static WebhookTargets From(WebhookOptions options) => new([.. options.AllowedNetworks.Select(IPNetwork.Parse)]);

    /// <summary>Whether a connection to <paramref name="address"/> may be made.</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && CarryIPv4.FirstOrDefault(c => c.Network.Contains(address)) is { Network.PrefixLength: > 0 } carrier)
        {
            address = new IPAddress(address.GetAddressBytes().AsSpan(carrier.Offset, 4));
        }

        return allowed.Any(n => n.Contains(address)) || !Internal.Any(n => n.Contains(address));
    }

    /// <summary>Why an address (resolved now) may not receive webhooks, or null when it may. Never names what it resolved to.</summary>
    public async Task<string?> ProblemWithAsync(Uri uri, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' could not be found.";
        }

        return addresses.Length == 0 ? $"The host '{uri.Host}' could not be found."
            : addresses.All(IsAllowed) ? null
            : "Webhooks go to public addresses only: this one is on a loopback, private, link-local or otherwise internal network (an operator can allow one with Webhooks:AllowedNetworks).";
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        => IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

    /// <summary>Connects only to an allowed address of the host asked for; used as the webhook client's ConnectCallback.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var permitted = (await ResolveAsync(endpoint.Host, cancellationToken)).Where(IsAllowed).ToArray();
        if (permitted.Length == 0)
        {
            throw new WebhookTargetRefusedException();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A webhook connection refused because the host resolved to an internal address.</summary>
public sealed class WebhookTargetRefusedException() : HttpRequestException("The address is not a public one.");
