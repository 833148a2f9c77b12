using System.Net;
using System.Net.Sockets;

namespace PortCustoms.TestSupport;

public static class FreePorts
{
    /// <summary>Ports the OS reports free on loopback now; a caller that loses the race retries with new ones.</summary>
    public static int[] Take(int count)
    {
        var listeners = new TcpListener[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener?.Stop();
            }
        }
    }
}
