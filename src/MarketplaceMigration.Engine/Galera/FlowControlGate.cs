using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MarketplaceMigration.Engine.Connections;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Galera;

/// <summary>
/// Holds the copy back while a Galera target's replication is paused for a slow node (flow control):
/// before each chunk it looks at every node's <c>wsrep_flow_control_active</c> and
/// <c>wsrep_local_recv_queue</c>, and waits while any node is paused or has more write-sets waiting than
/// <see cref="QueueLimit"/>, saying which node and why in progress. Shared by the copy's workers (one look
/// serves all for a tenth of a second); it opens one blocking session per node of its own.
/// </summary>
public sealed class FlowControlGate : IDisposable
{
    /// <summary>Write-sets waiting on one node above which the copy waits (Galera's own gcs.fc_limit default is 16).</summary>
    public const int QueueLimit = 16;

    private readonly IReadOnlyList<ConnectionTarget> _nodes;
    private readonly Dictionary<ConnectionTarget, MySqlConnection> _sessions = new();
    private readonly object _gate = new();
    private DateTime _lookedAt = DateTime.MinValue;
    private string? _why;

    /// <summary>A gate over <paramref name="nodes"/>.</summary>
    public FlowControlGate(IReadOnlyList<ConnectionTarget> nodes) => _nodes = nodes ?? throw new ArgumentNullException(nameof(nodes));

    /// <summary>Times the copy waited, for the step's figures.</summary>
    public int Pauses { get; private set; }

    /// <summary>Waits while replication is paused on some node; <paramref name="report"/> says why (once per pause).</summary>
    public void Wait(Action<string> report, CancellationToken cancellationToken)
    {
        if (report is null)
            throw new ArgumentNullException(nameof(report));
        var said = false;
        while (Why() is { } why)
        {
            if (!said)
            {
                lock (_gate)
                    Pauses++;
                report($"paused: flow control on the Galera target ({why})");
                said = true;
            }

            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200)))
                throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var session in _sessions.Values)
                session.Dispose();
            _sessions.Clear();
        }
    }

    /// <summary>Why the copy should wait now, or null; looked up at most every 100 ms.</summary>
    private string? Why()
    {
        lock (_gate)
        {
            if (DateTime.UtcNow - _lookedAt < TimeSpan.FromMilliseconds(100))
                return _why;
            _lookedAt = DateTime.UtcNow;
            _why = null;
            foreach (var node in _nodes)
            {
                var (active, queue) = Look(node);
                if (active || queue > QueueLimit)
                {
                    _why =
                        $"{node.Endpoint.Host}:{node.Endpoint.Port}: "
                        + (active ? "replication paused" : $"{queue} write-sets waiting to be applied");
                    break;
                }
            }

            return _why;
        }
    }

    private (bool Active, long Queue) Look(ConnectionTarget node)
    {
        try
        {
            if (!_sessions.TryGetValue(node, out var session))
                _sessions[node] = session = ConnectionFactory.Open(node, CancellationToken.None);
            using var command = new MySqlCommand(
                "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_flow_control_active', 'wsrep_local_recv_queue')",
                session
            );
            using var reader = command.ExecuteReader();
            var (active, queue) = (false, 0L);
            while (reader.Read())
            {
                var value = reader.GetString(1);
                if (reader.GetString(0) == "wsrep_flow_control_active")
                    active = string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
                else
                    queue = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var q) ? q : 0;
            }

            return (active, queue);
        }
        catch (Exception ex) when (ex is MySqlException or Errors.MigrationException or InvalidOperationException)
        {
            // A node that cannot be asked does not hold the copy back: the verification reads every node and says so.
            if (_sessions.TryGetValue(node, out var broken))
            {
                broken.Dispose();
                _sessions.Remove(node);
            }

            return (false, 0);
        }
    }
}
