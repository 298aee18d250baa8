using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// Loopback ports for what the rig listens on (servers, Galera nodes, the stand-in cluster's channel port): free when
/// claimed, below the kernel's ephemeral range (ip_local_port_range), and never handed out twice in one test process.
/// A server or stand-in keeps its port for life and may be restarted on it; in the moment between its stop and its
/// start the port is free, and a port from the ephemeral range could meanwhile be taken by any outgoing connection's
/// local end, or by another test's claim. Seen: a node's "Failed to listen: Address already in use" on restart, and a
/// site whose restarted stand-in found its channel port answered by another site's stand-in (its smoke test caught it:
/// SmokeSellerCountMismatch).
/// </summary>
public static class LoopbackPorts
{
    private static readonly HashSet<int> Claimed = new();
    private static readonly Random Random = new();

    /// <summary>One free port, never claimed before in this process.</summary>
    public static int Claim() => Claim(1)[0];

    /// <summary><paramref name="count"/> distinct free ports, none claimed before in this process.</summary>
    public static List<int> Claim(int count)
    {
        var low = 32768;
        try
        {
            low = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0]);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
        }

        var from = Math.Max(1024, low - 12000);
        var ports = new List<int>();
        lock (Claimed)
        {
            for (var tries = 0; ports.Count < count; tries++)
            {
                if (tries > 10_000) throw new InvalidOperationException($"no {count} free loopback ports between {from} and {low}");
                var port = Random.Next(from, low);
                if (Claimed.Contains(port)) continue;
                var listener = new TcpListener(IPAddress.Loopback, port);
                try
                {
                    listener.Start();
                    Claimed.Add(port);
                    ports.Add(port);
                }
                catch (SocketException)
                {
                }
                finally
                {
                    listener.Stop();
                }
            }
        }

        return ports;
    }
}
