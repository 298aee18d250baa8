using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// A throwaway MariaDB Galera cluster on loopback, from the OS packages (mariadb-server, galera-4, rsync):
/// each node with its own datadir, SQL port, group-communication, IST and SST ports; the first bootstraps
/// the cluster (--wsrep-new-cluster), the others join it by rsync SST. As root the nodes run as the mysql
/// user (the donor's rsync refuses root). Killed and removed when the test process ends.
/// </summary>
public sealed class GaleraCluster : IAsyncDisposable
{
    public const string InstallHint =
        "No Galera cluster for the tests: install the OS packages ('apt-get install -y mariadb-server galera-4 rsync'); "
        + "the tests start their own 3-node cluster on loopback.";

    public const string Provider = "/usr/lib/galera/libgalera_smm.so";

    private readonly List<Node> _nodes = new();
    private readonly string _directory;
    private readonly string _password;
    private readonly string? _runAs;

    private GaleraCluster(string directory, string password, string? runAs)
    {
        (_directory, _password, _runAs) = (directory, password, runAs);
    }

    /// <summary>The cluster's nodes, node 1 first (the one the tests write through).</summary>
    public IReadOnlyList<TestServer> Servers => _nodes.Select(n => n.Server).ToList();

    /// <summary>Node <paramref name="index"/> (0-based) as a test server.</summary>
    public TestServer Server(int index) => _nodes[index].Server;

    /// <summary>host:port of every node, as a profile's clusterNodes lists them.</summary>
    public IReadOnlyList<string> Addresses => _nodes.Select(n => $"127.0.0.1:{n.Port}").ToList();

    public static async Task<GaleraCluster> StartAsync(int size = 3)
    {
        var server = MariaDbProcess.FindServer() ?? throw new InvalidOperationException(InstallHint);
        var installer = MariaDbProcess.FindInstaller() ?? throw new InvalidOperationException(InstallHint);
        if (!File.Exists(Provider) || !File.Exists("/usr/bin/rsync")) throw new InvalidOperationException(InstallHint);
        var isRoot = Environment.UserName == "root";
        var runAs = isRoot ? "mysql" : null;
        // Under the run directory of MariaDbProcess: a killed test process's nodes are swept like its servers.
        var directory = Path.Combine(MariaDbProcess.RunDirectory(), "galera");
        Directory.CreateDirectory(directory);
        var password = "Rig-" + Guid.NewGuid().ToString("N");
        var cluster = new GaleraCluster(directory, password, runAs);
        var ports = LoopbackPorts.Claim(size * 4);
        for (var i = 0; i < size; i++)
            cluster._nodes.Add(new Node(i + 1, Path.Combine(directory, $"n{i + 1}"), ports[i * 4], ports[i * 4 + 1], ports[i * 4 + 2], ports[i * 4 + 3], password));

        var first = cluster._nodes[0];
        foreach (var node in cluster._nodes)
        {
            Directory.CreateDirectory(Path.Combine(node.Directory, "tmp"));
            Directory.CreateDirectory(node.Data);
        }

        if (runAs != null) await ChownAsync(directory, runAs);
        var install = await MariaDbProcess.RunAsync(installer, "--no-defaults", $"--datadir={first.Data}", $"--tmpdir={Path.Combine(first.Directory, "tmp")}",
            $"--user={runAs ?? Environment.UserName}", "--auth-root-authentication-method=socket", "--skip-test-db", "--skip-name-resolve");
        if (install.ExitCode != 0) throw new InvalidOperationException($"mariadb-install-db failed for the Galera cluster ({install.ExitCode}): {install.Output}");
        File.WriteAllText(Path.Combine(directory, "init.sql"),
            $"CREATE USER IF NOT EXISTS '{MariaDbProcess.User}'@'127.0.0.1' IDENTIFIED BY '{password}';\n" +
            $"CREATE USER IF NOT EXISTS '{MariaDbProcess.User}'@'localhost' IDENTIFIED BY '{password}';\n" +
            $"GRANT ALL PRIVILEGES ON *.* TO '{MariaDbProcess.User}'@'127.0.0.1' WITH GRANT OPTION;\n" +
            $"GRANT ALL PRIVILEGES ON *.* TO '{MariaDbProcess.User}'@'localhost' WITH GRANT OPTION;\n");
        if (runAs != null) await ChownAsync(directory, runAs);

        cluster.Launch(first, bootstrap: true);
        await cluster.WaitSyncedAsync(first);
        foreach (var node in cluster._nodes.Skip(1))
            await cluster.JoinAsync(node);

        return cluster;
    }

    /// <summary>
    /// Starts a new node and waits until it is Synced. A node that exits on its way in starts again from an empty data
    /// directory, three tries in all: seen once in CI (node 3 of a fresh cluster received NON-PRIMARY during its state
    /// transfer, left the group and aborted, exit 134) while the other tests' servers started beside it.
    /// </summary>
    private async Task JoinAsync(Node node)
    {
        for (var attempt = 1; ; attempt++)
        {
            Launch(node, bootstrap: false);
            try
            {
                await WaitSyncedAsync(node);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && node.Process!.HasExited)
            {
                foreach (var entry in new DirectoryInfo(node.Data).EnumerateFileSystemInfos())
                {
                    if (entry is DirectoryInfo directory) directory.Delete(recursive: true);
                    else entry.Delete();
                }

                await Task.Delay(1000);
            }
        }
    }

    /// <summary>SIGKILLs node <paramref name="index"/> (a crash), waiting until it is gone.</summary>
    public void Kill(int index)
    {
        var node = _nodes[index];
        try
        {
            if (node.Process is { HasExited: false } p)
            {
                p.Kill();
                p.WaitForExit(10000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Starts node <paramref name="index"/> again; it rejoins (IST, else SST) and is waited for until Synced.</summary>
    public async Task StartAgainAsync(int index)
    {
        var node = _nodes[index];
        Launch(node, bootstrap: false);
        await WaitSyncedAsync(node);
    }

    /// <summary>Cuts node <paramref name="index"/> off the others (gmcast.isolate), or lets it back, and waits until it is out of (or back in) the primary component.</summary>
    public async Task IsolateAsync(int index, bool isolated)
    {
        await using (var c = await OpenAsync(_nodes[index]))
        await using (var set = new MySqlCommand($"SET GLOBAL wsrep_provider_options = 'gmcast.isolate={(isolated ? 1 : 0)}'", c))
            await set.ExecuteNonQueryAsync();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var status = await StatusAsync(_nodes[index]);
            if (isolated ? status.Primary != "Primary" : status.State == "Synced" && status.Primary == "Primary") return;
            await Task.Delay(250);
        }

        throw new TimeoutException($"node {index + 1} did not {(isolated ? "leave" : "rejoin")} the primary component within 90 s");
    }

    /// <summary>Waits until every node is Synced in the primary component.</summary>
    public async Task WaitAllSyncedAsync()
    {
        foreach (var node in _nodes) await WaitSyncedAsync(node);
    }

    /// <summary>
    /// Creates a database through node 0 and returns once every node has it: a DDL statement returns when the node it was sent
    /// to has run it, and the others apply it a moment later, so a session opened at once through another node can still
    /// find no such database.
    /// </summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string prefix)
    {
        var database = await Server(0).CreateDatabaseAsync(prefix);
        foreach (var node in _nodes.Skip(1))
        {
            await using var connection = new MySqlConnection(node.Server.ConnectionString());
            await connection.OpenAsync();
            // Causal read: waits for every write-set the cluster committed before it, the CREATE DATABASE among them.
            await using var command = new MySqlCommand("SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @n", connection);
            command.Parameters.AddWithValue("@n", database.Name);
            if (Convert.ToInt64(await command.ExecuteScalarAsync()) != 1)
                throw new InvalidOperationException($"node {node.Number} has no database {database.Name} after a causal read");
        }

        return database;
    }

    /// <summary>wsrep_cluster_status and wsrep_local_state_comment of node <paramref name="index"/>.</summary>
    public Task<(string Primary, string State)> StatusAsync(int index) => StatusAsync(_nodes[index]);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                if (node.Process is { HasExited: false } p) p.Kill();
            }
            catch (InvalidOperationException)
            {
            }
        }

        foreach (var node in _nodes) node.Process?.WaitForExit(10000);
        await Task.Yield();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private void Launch(Node node, bool bootstrap)
    {
        var server = MariaDbProcess.FindServer()!;
        var peers = string.Join(",", _nodes.Select(n => $"127.0.0.1:{n.GroupPort}"));
        var args = new List<string>
        {
            "--no-defaults", $"--datadir={node.Data}", $"--tmpdir={Path.Combine(node.Directory, "tmp")}", $"--port={node.Port}", "--bind-address=127.0.0.1",
            $"--socket={Path.Combine(node.Directory, "mariadbd.sock")}", $"--pid-file={Path.Combine(node.Directory, "mariadbd.pid")}",
            $"--log-error={Path.Combine(node.Directory, "error.log")}", $"--init-file={Path.Combine(_directory, "init.sql")}",
            "--skip-name-resolve", "--performance-schema=OFF", "--innodb-buffer-pool-size=96M", "--innodb-log-file-size=48M",
            "--innodb-flush-log-at-trx-commit=2", "--local-infile=1", "--max-allowed-packet=64M", "--max-connections=300",
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
            "--wsrep-on=ON", $"--wsrep-provider={Provider}", $"--wsrep-cluster-address=gcomm://{peers}", "--wsrep-cluster-name=mm-rig",
            $"--wsrep-node-name=n{node.Number}", $"--wsrep-node-address=127.0.0.1:{node.GroupPort}", $"--wsrep-node-incoming-address=127.0.0.1:{node.Port}",
            $"--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:{node.GroupPort};ist.recv_addr=127.0.0.1:{node.IstPort};base_port={node.GroupPort}",
            $"--wsrep-sst-receive-address=127.0.0.1:{node.SstPort}", "--wsrep-sst-method=rsync", "--binlog-format=ROW", "--innodb-autoinc-lock-mode=2",
        };
        if (_runAs != null) args.Add($"--user={_runAs}");
        if (bootstrap) args.Add("--wsrep-new-cluster");
        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        node.Process = Process.Start(start) ?? throw new InvalidOperationException("mariadbd did not start.");
        node.Process.OutputDataReceived += (_, _) => { };
        node.Process.ErrorDataReceived += (_, _) => { };
        node.Process.BeginOutputReadLine();
        node.Process.BeginErrorReadLine();
        Watchdog(node.Process.Id);
    }

    private async Task WaitSyncedAsync(Node node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (node.Process!.HasExited) throw new InvalidOperationException($"Galera node {node.Number} exited with {node.Process.ExitCode}: {Tail(node)}");
            try
            {
                var status = await StatusAsync(node);
                if (status.State == "Synced" && status.Primary == "Primary") return;
            }
            catch (MySqlException ex)
            {
                last = ex;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Galera node {node.Number} was not Synced within 120 s ({last?.Message}): {Tail(node)}");
    }

    private static async Task<(string Primary, string State)> StatusAsync(Node node)
    {
        await using var c = await OpenAsync(node);
        await using var command = new MySqlCommand("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_status', 'wsrep_local_state_comment')", c);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new Dictionary<string, string>();
        while (await reader.ReadAsync()) values[reader.GetString(0)] = reader.GetString(1);
        return (values.GetValueOrDefault("wsrep_cluster_status", ""), values.GetValueOrDefault("wsrep_local_state_comment", ""));
    }

    private static async Task<MySqlConnection> OpenAsync(Node node)
    {
        var c = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1", Port = (uint)node.Port, UserID = MariaDbProcess.User, Password = node.Password, ConnectionTimeout = 3, Pooling = false,
        }.ConnectionString);
        await c.OpenAsync();
        return c;
    }

    private static string Tail(Node node)
    {
        var log = Path.Combine(node.Directory, "error.log");
        return File.Exists(log) ? string.Join("\n", File.ReadAllLines(log).TakeLast(12)) : "(no error log)";
    }

    private static void Watchdog(int serverPid)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; kill -9 {serverPid} 2>/dev/null";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var watchdog = Process.Start(start);
    }

    private static async Task ChownAsync(string path, string user)
    {
        var result = await MariaDbProcess.RunAsync("/bin/chown", "-R", $"{user}:{user}", path);
        if (result.ExitCode != 0) throw new InvalidOperationException($"chown {user} {path} failed: {result.Output}");
        // Every directory above must be traversable by that user.
        for (var dir = Path.GetDirectoryName(path); dir != null && dir != "/" && dir != Path.GetTempPath().TrimEnd('/'); dir = Path.GetDirectoryName(dir))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        }
    }

    private sealed class Node
    {
        public Node(int number, string directory, int port, int groupPort, int istPort, int sstPort, string password)
        {
            (Number, Directory, Port, GroupPort, IstPort, SstPort, Password) = (number, directory, port, groupPort, istPort, sstPort, password);
            Server = new TestServer("cluster", "127.0.0.1", port, MariaDbProcess.User, password);
        }

        public int Number { get; }
        public string Directory { get; }
        public string Data => Path.Combine(Directory, "data");
        public int Port { get; }
        public int GroupPort { get; }
        public int IstPort { get; }
        public int SstPort { get; }
        public string Password { get; }
        public TestServer Server { get; }
        public Process? Process { get; set; }
    }
}
