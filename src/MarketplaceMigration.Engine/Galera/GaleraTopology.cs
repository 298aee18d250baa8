using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Errors;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Galera;

/// <summary>
/// Whether an end is a MariaDB Galera cluster, and if so its nodes and write-set limits. The nodes are the
/// profile's (<c>clusterNodes</c>/<c>shopwareNodes</c>, host:port) when given, else the ones the configured
/// endpoint reports in <c>wsrep_incoming_addresses</c>; the configured endpoint is always the first, and the
/// one the tool writes through. A standalone server (MySQL 8 has no wsrep_on; MariaDB without Galera has it
/// OFF) is a topology of one.
/// </summary>
public sealed class GaleraTopology
{
    private GaleraTopology(
        ConnectionTarget endpoint,
        bool isGalera,
        IReadOnlyList<ConnectionTarget> nodes,
        long maxWriteSetBytes,
        long maxWriteSetRows
    )
    {
        Endpoint = endpoint;
        IsGalera = isGalera;
        Nodes = nodes;
        MaxWriteSetBytes = maxWriteSetBytes;
        MaxWriteSetRows = maxWriteSetRows;
    }

    /// <summary>The configured endpoint: the node written through.</summary>
    public ConnectionTarget Endpoint { get; }

    /// <summary>Whether the end is a Galera cluster (wsrep_on).</summary>
    public bool IsGalera { get; }

    /// <summary>Every node, the configured endpoint first; just it for a standalone server.</summary>
    public IReadOnlyList<ConnectionTarget> Nodes { get; }

    /// <summary>wsrep_max_ws_size: the largest write-set (one transaction) the cluster replicates; 0 for a standalone server.</summary>
    public long MaxWriteSetBytes { get; }

    /// <summary>wsrep_max_ws_rows: the most rows in one write-set (0: no limit).</summary>
    public long MaxWriteSetRows { get; }

    /// <summary>A standalone server.</summary>
    public static GaleraTopology Standalone(ConnectionTarget endpoint) =>
        new(endpoint ?? throw new ArgumentNullException(nameof(endpoint)), false, new[] { endpoint }, 0, 0);

    /// <summary>Reads the topology of <paramref name="endpoint"/>'s end; <paramref name="configuredNodes"/> (host:port) override what it reports.</summary>
    public static async Task<GaleraTopology> ReadAsync(
        ConnectionTarget endpoint,
        IReadOnlyList<string> configuredNodes,
        CancellationToken cancellationToken
    )
    {
        if (endpoint is null)
            throw new ArgumentNullException(nameof(endpoint));
        using var connection = await ConnectionFactory.OpenAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var variables = await ValuesAsync(
                connection,
                "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_max_ws_size', 'wsrep_max_ws_rows')",
                cancellationToken
            )
            .ConfigureAwait(false);
        if (!variables.TryGetValue("wsrep_on", out var on) || !string.Equals(on, "ON", StringComparison.OrdinalIgnoreCase))
            return Standalone(endpoint);
        var status = await ValuesAsync(connection, "SHOW GLOBAL STATUS WHERE Variable_name = 'wsrep_incoming_addresses'", cancellationToken)
            .ConfigureAwait(false);
        var listed = configuredNodes is { Count: > 0 }
            ? configuredNodes
            : (status.TryGetValue("wsrep_incoming_addresses", out var incoming) ? incoming : string.Empty).Split(',').ToList();
        var nodes = new List<ConnectionTarget> { endpoint };
        foreach (var address in listed.Select(a => a.Trim()).Where(a => a.Length > 0))
        {
            // AUTO: a node that did not say where it listens (wsrep_node_incoming_address unset); the profile must name it.
            if (!TryParse(address, endpoint.Endpoint.Port, out var host, out var port))
                continue;
            if (nodes.Any(n => Same(n, host, port)))
                continue;
            nodes.Add(endpoint.At(host, port));
        }

        return new GaleraTopology(endpoint, true, nodes, Number(variables, "wsrep_max_ws_size"), Number(variables, "wsrep_max_ws_rows"));
    }

    /// <summary>How each node reports itself; a node that does not answer is <see cref="ErrorIds.GaleraNodeUnreachable"/>.</summary>
    public async Task<IReadOnlyList<GaleraNode>> NodesAsync(CancellationToken cancellationToken)
    {
        var reports = new List<GaleraNode>();
        foreach (var node in Nodes)
            reports.Add(await NodeAsync(node, cancellationToken).ConfigureAwait(false));
        return reports;
    }

    /// <summary>Refuses unless every node answers, is in the primary component and Synced (a preflight; nothing is changed).</summary>
    public async Task RequireHealthyAsync(string why, CancellationToken cancellationToken)
    {
        if (!IsGalera)
            return;
        foreach (var report in await NodesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (report.ClusterStatus != "Primary")
            {
                throw new MigrationException(
                    ErrorIds.GaleraNotPrimary,
                    MigrationErrorKind.PreflightFailed,
                    report.Address,
                    $"The Galera node {report.Address} of {Endpoint.Endpoint} is outside the primary component (wsrep_cluster_status "
                        + $"{report.ClusterStatus}, it sees {report.ClusterSize} node(s)): {why} cannot trust it.",
                    "bring it back into the cluster (its error log says why it left: a network cut, a crash), or, if the whole cluster lost "
                        + "quorum, restore it (SET GLOBAL wsrep_provider_options='pc.bootstrap=YES' on the most advanced node); then rerun."
                );
            }

            if (report.State != "Synced")
            {
                throw new MigrationException(
                    ErrorIds.GaleraNodeNotSynced,
                    MigrationErrorKind.PreflightFailed,
                    report.Address,
                    $"The Galera node {report.Address} of {Endpoint.Endpoint} is {report.State}, not Synced: {why} would read a node that is behind.",
                    "wait until it is Synced (SHOW STATUS LIKE 'wsrep_local_state_comment'), then rerun."
                );
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="ex"/> (or what it wraps) is a Galera node refusing work because it is not in the primary
    /// component (1047: "WSREP has not yet prepared node for application use"): the cluster lost quorum, or the node was cut off.
    /// </summary>
    public static bool IsNotReady(Exception? ex)
    {
        for (; ex != null; ex = ex.InnerException)
        {
            if (
                ex is MySqlException { Number: 1047 }
                || ex is MySqlException m && m.Message.IndexOf("WSREP has not yet prepared", StringComparison.Ordinal) >= 0
            )
                return true;
        }

        return false;
    }

    /// <summary>The error for a node that refused work outside the primary component mid-run (the gate stays set).</summary>
    public static MigrationException NotReady(ConnectionTarget node, Exception inner) =>
        new(
            ErrorIds.GaleraNotPrimary,
            MigrationErrorKind.Connection,
            node?.Endpoint.ToString(),
            $"The Galera node {node?.Endpoint} refused the work: it is not in the primary component (the cluster lost quorum, or the "
                + $"node was cut off from the others) ({inner?.Message}). What was committed before is recorded.",
            "restore the cluster (bring the nodes back; after a full loss of quorum, SET GLOBAL wsrep_provider_options='pc.bootstrap=YES' "
                + "on the most advanced node), then rerun: it resumes where it stopped; the gate stays set meanwhile.",
            inner
        );

    /// <summary>The error for a node that stopped answering mid-run (a verification's reads were tried again until spent).</summary>
    public MigrationException Unreachable(ConnectionTarget node, Exception inner, bool gateSet) =>
        new(
            ErrorIds.GaleraNodeUnreachable,
            MigrationErrorKind.Connection,
            $"{node?.Endpoint.Host}:{node?.Endpoint.Port}",
            $"The Galera node {node?.Endpoint.Host}:{node?.Endpoint.Port} of {Endpoint.Endpoint} stopped answering while it was verified "
                + $"({inner?.Message}); every node is verified, so a node that cannot be read cannot be trusted.",
            "bring the node back (it rejoins by IST or SST), then rerun: the verification runs again on every node"
                + (gateSet ? "; the gate stays set meanwhile." : " before the gate is set."),
            inner
        );

    /// <summary>Whether <paramref name="node"/> answers a probe now (at most 10 s).</summary>
    public async Task<bool> AnswersAsync(ConnectionTarget node, CancellationToken cancellationToken)
    {
        try
        {
            await NodeAsync(node, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MigrationException ex) when (ex.ErrorId == ErrorIds.GaleraNodeUnreachable)
        {
            return false;
        }
    }

    /// <summary>Makes a session's reads wait for every write-set the cluster committed before them (wsrep_sync_wait=1).</summary>
    public static async Task SyncReadsAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand("SET SESSION wsrep_sync_wait = 1", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<GaleraNode> NodeAsync(ConnectionTarget node, CancellationToken cancellationToken)
    {
        var address = $"{node.Endpoint.Host}:{node.Endpoint.Port}";
        try
        {
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(TimeSpan.FromSeconds(10));
            using var connection = await ConnectionFactory.OpenAsync(node, SessionOptions.Unpooled, probe.Token).ConfigureAwait(false);
            var status = await ValuesAsync(
                    connection,
                    "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_cluster_size', "
                        + "'wsrep_local_recv_queue', 'wsrep_flow_control_active')",
                    probe.Token
                )
                .ConfigureAwait(false);
            return new GaleraNode(
                address,
                status.TryGetValue("wsrep_cluster_status", out var c) ? c : "unknown",
                status.TryGetValue("wsrep_local_state_comment", out var s) ? s : "unknown",
                (int)Number(status, "wsrep_cluster_size"),
                Number(status, "wsrep_local_recv_queue"),
                status.TryGetValue("wsrep_flow_control_active", out var f) && string.Equals(f, "true", StringComparison.OrdinalIgnoreCase)
            );
        }
        catch (Exception ex)
            when (ex is MigrationException or MySqlException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new MigrationException(
                ErrorIds.GaleraNodeUnreachable,
                MigrationErrorKind.Connection,
                address,
                $"The Galera node {address} of {Endpoint.Endpoint} does not answer ({ex.Message}); every node is verified, so a node that "
                    + "cannot be read cannot be trusted.",
                "bring the node back (it rejoins by IST or SST), or, if the address is wrong, list the nodes in the profile "
                    + $"({(Endpoint.Endpoint.Role == EndpointRole.Cluster ? "clusterNodes" : "shopwareNodes")}: [\"host:port\", ...]); then rerun.",
                ex
            );
        }
    }

    private static bool Same(ConnectionTarget node, string host, int port) =>
        node.Endpoint.Port == port
        && (string.Equals(node.Endpoint.Host, host, StringComparison.OrdinalIgnoreCase) || Loopback(node.Endpoint.Host) && Loopback(host));

    private static bool Loopback(string host) => host is "127.0.0.1" or "localhost" or "::1";

    private static bool TryParse(string address, int defaultPort, out string host, out int port)
    {
        (host, port) = (string.Empty, defaultPort);
        if (string.Equals(address, "AUTO", StringComparison.OrdinalIgnoreCase))
            return false;
        var colon = address.LastIndexOf(':');
        if (colon < 0)
        {
            host = address;
            return true;
        }

        host = address.Substring(0, colon).Trim('[', ']');
        return host.Length > 0
            && int.TryParse(address.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and < 65536;
    }

    private static long Number(IReadOnlyDictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : 0;

    private static async Task<IReadOnlyDictionary<string, string>> ValuesAsync(
        MySqlConnection connection,
        string sql,
        CancellationToken cancellationToken
    )
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var command = new MySqlCommand(sql, connection);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            values[reader.GetString(0)] = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
        return values;
    }
}
