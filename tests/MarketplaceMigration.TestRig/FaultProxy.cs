using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// A real TCP relay on loopback between the tool and one database server, which a test can tell to
/// break its link: reset every connection (RST, as a crashed middlebox or a cut cable does), reset once
/// a given statement has gone by (so the fault lands mid-chunk, mid-verification or mid-write, exactly),
/// stall every connection (bytes stop moving both ways while the sockets stay open), or throttle the
/// bytes per second. New connections are accepted throughout; a reset ends only the connections alive then.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly ConcurrentDictionary<int, Link> _links = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile TaskCompletionSource<bool> _flowing = Started();
    private int _next;
    private Trigger? _trigger;

    private FaultProxy(string upstreamHost, int upstreamPort)
    {
        (_upstreamHost, _upstreamPort) = (upstreamHost, upstreamPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The loopback port to connect to instead of the server's.</summary>
    public int Port { get; }

    /// <summary>Connections reset so far.</summary>
    public int Resets => _resets;

    private int _resets;

    /// <summary>Bytes per second each way across all connections (0: as fast as they come).</summary>
    public int BytesPerSecond { get; set; }

    /// <summary>Starts a relay to <paramref name="server"/>.</summary>
    public static FaultProxy Start(TestServer server) => new((server ?? throw new ArgumentNullException(nameof(server))).Host, server.Port);

    /// <summary>The same server, reached through this relay.</summary>
    public TestServer Over(TestServer server) =>
        new((server ?? throw new ArgumentNullException(nameof(server))).Name + "-via-proxy", "127.0.0.1", Port, server.User, server.Password);

    /// <summary>Resets every connection alive now.</summary>
    public void ResetAll()
    {
        foreach (var link in _links.Values)
            link.Reset();
    }

    /// <summary>
    /// Resets every connection alive at that moment once a client has sent <paramref name="text"/> and then
    /// <paramref name="thenBytes"/> more bytes on the same connection; once.
    /// </summary>
    public Task<bool> ResetAfterSent(string text, long thenBytes = 0)
    {
        var trigger = new Trigger(Encoding.UTF8.GetBytes(text), thenBytes, stall: false);
        _trigger = trigger;
        return trigger.Fired.Task;
    }

    /// <summary>Stalls every connection once a client has sent <paramref name="text"/> (and <paramref name="thenBytes"/> more); once.</summary>
    public Task<bool> StallAfterSent(string text, long thenBytes = 0)
    {
        var trigger = new Trigger(Encoding.UTF8.GetBytes(text), thenBytes, stall: true);
        _trigger = trigger;
        return trigger.Fired.Task;
    }

    /// <summary>Stops moving bytes on every connection, new ones included, until <see cref="Flow"/>.</summary>
    public void Stall()
    {
        if (_flowing.Task.IsCompleted)
            _flowing = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets bytes move again.</summary>
    public void Flow() => _flowing.TrySetResult(true);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        Flow();
        _listener.Stop();
        ResetAll();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException or OperationCanceledException) { }

        _stop.Dispose();
    }

    private static TaskCompletionSource<bool> Started()
    {
        var flowing = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult(true);
        return flowing;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var id = Interlocked.Increment(ref _next);
            _ = Task.Run(() => RelayAsync(id, client));
        }
    }

    private async Task RelayAsync(int id, Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(_upstreamHost == "localhost" ? "127.0.0.1" : _upstreamHost, _upstreamPort).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            client.Close(0);
            server.Dispose();
            return;
        }

        var link = new Link(this, client, server);
        _links[id] = link;
        try
        {
            await Task.WhenAll(PumpAsync(link, client, server, fromClient: true), PumpAsync(link, server, client, fromClient: false))
                .ConfigureAwait(false);
        }
        finally
        {
            _links.TryRemove(id, out _);
            link.Close();
        }
    }

    private async Task PumpAsync(Link link, Socket from, Socket to, bool fromClient)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await _flowing.Task.ConfigureAwait(false);
                if (BytesPerSecond > 0)
                    await Task.Delay(TimeSpan.FromSeconds((double)read / BytesPerSecond)).ConfigureAwait(false);
                if (link.IsReset)
                    return;
                if (fromClient && _trigger is { } trigger && trigger.Sees(link, buffer.AsSpan(0, read)))
                {
                    if (trigger.Stall)
                    {
                        Stall();
                        trigger.Fired.TrySetResult(true);
                        await _flowing.Task.ConfigureAwait(false);
                    }
                    else
                    {
                        trigger.Fired.TrySetResult(true);
                        ResetAll();
                        return;
                    }
                }

                var sent = 0;
                while (sent < read)
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            link.Reset();
        }
    }

    /// <summary>One relayed connection: the client's socket and the server's.</summary>
    private sealed class Link
    {
        private readonly FaultProxy _proxy;
        private readonly Socket _client;
        private readonly Socket _server;
        private int _reset;

        public Link(FaultProxy proxy, Socket client, Socket server) => (_proxy, _client, _server) = (proxy, client, server);

        public bool IsReset => Volatile.Read(ref _reset) == 1;

        /// <summary>Bytes the client sent after the trigger's text, -1 before it.</summary>
        public long AfterText { get; set; } = -1;

        /// <summary>The last bytes seen, so a text split across two reads is still found.</summary>
        public byte[] Tail { get; set; } = Array.Empty<byte>();

        public void Reset()
        {
            if (Interlocked.Exchange(ref _reset, 1) == 1)
                return;
            Interlocked.Increment(ref _proxy._resets);
            foreach (var socket in new[] { _client, _server })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);   // close with RST, not FIN
                    socket.Close(0);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
            }
        }

        public void Close()
        {
            _client.Dispose();
            _server.Dispose();
        }
    }

    /// <summary>What the proxy waits for: a text sent by a client, then a number of bytes more.</summary>
    private sealed class Trigger
    {
        private readonly byte[] _text;
        private readonly long _thenBytes;

        public Trigger(byte[] text, long thenBytes, bool stall) => (_text, _thenBytes, Stall) = (text, thenBytes, stall);

        public bool Stall { get; }

        public TaskCompletionSource<bool> Fired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Sees(Link link, ReadOnlySpan<byte> bytes)
        {
            if (Fired.Task.IsCompleted)
                return false;
            if (link.AfterText < 0)
            {
                var seen = link.Tail.Concat(bytes.ToArray()).ToArray();
                var at = seen.AsSpan().IndexOf(_text);
                link.Tail = seen.Length > _text.Length ? seen[^_text.Length..] : seen;
                if (at < 0)
                    return false;
                link.AfterText = seen.Length - at - _text.Length;
            }
            else
            {
                link.AfterText += bytes.Length;
            }

            return link.AfterText >= _thenBytes;
        }
    }
}
