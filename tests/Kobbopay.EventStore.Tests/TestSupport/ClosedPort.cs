using System.Net;
using System.Net.Sockets;

namespace Kobbopay.EventStore.Tests.TestSupport;

/// <summary>Finds a loopback TCP port nothing listens on: connections to it are refused at once.</summary>
internal static class ClosedPort
{
    public static int Find()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
