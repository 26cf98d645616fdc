using System.Net;
using System.Net.Sockets;

namespace NewsPortal.Tests.Shared;

/// <summary>Loopback ports for a test's own site; compiled into each test project.</summary>
internal static class FreePorts
{
    /// <summary>A loopback port nothing listens on.</summary>
    public static int Next()
    {
        // Below the ephemeral range Linux gives outgoing connections and port 0 (32768-60999): a port taken from there
        // was free when asked, but a connection to PostgreSQL or Redis could take it before the site bound it (a CI run
        // lost a browser suite's site that way).
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_768);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Another test's site listens there: try another.
            }
        }
    }
}
