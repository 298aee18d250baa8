using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MarketplaceMigration.Engine.Cluster;

/// <summary>Polls a TCP port until it accepts a connection.</summary>
public static class PortProbe
{
    /// <summary>Seconds until <paramref name="host"/>:<paramref name="port"/> accepted a connection, or null on timeout.</summary>
    public static async Task<double?> WaitAsync(string host, int port, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await AcceptsAsync(host, port, cancellationToken).ConfigureAwait(false))
                return watch.Elapsed.TotalSeconds;
            if (watch.Elapsed >= deadline)
                return null;
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the port accepts a connection now (within one second).</summary>
    public static async Task<bool> AcceptsAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            var connect = client.ConnectAsync(host, port);
            var finished = await Task.WhenAny(connect, Task.Delay(1000, cancellationToken)).ConfigureAwait(false);
            if (finished != connect)
                return false;
            await connect.ConfigureAwait(false);
            return client.Connected;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
