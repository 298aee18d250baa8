using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// A throwaway mariadbd: a fresh datadir under a temporary directory, a free loopback port, a test
/// user created by --init-file. Killed and removed when the test process exits.
/// </summary>
public sealed class MariaDbProcess : IDisposable
{
    public const string InstallHint =
        "No database server for the tests: install MariaDB (Debian/Ubuntu: 'apt-get install -y mariadb-server'; the tests start their own mariadbd), "
        + "or set MM_TEST_SHOPWARE and MM_TEST_CLUSTER to connection strings of two MySQL/MariaDB servers whose user may create databases, "
        + "or start a Docker engine for Testcontainers.";

    private const string DirectoryPrefix = "mm-rig-";
    private Process? _process;

    private MariaDbProcess(string name, string directory, int port, string password)
    {
        Name = name;
        Directory = directory;
        Port = port;
        Password = password;
    }

    public string Name { get; }
    public string Directory { get; }
    public int Port { get; }
    public string Password { get; }
    public const string User = "mmtest";

    public static string? FindServer() => Find("mariadbd", "/usr/sbin/mariadbd", "/usr/sbin/mysqld", "/usr/libexec/mariadbd");

    public static string? FindInstaller() => Find("mariadb-install-db", "/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db", "/usr/local/bin/mariadb-install-db");

    /// <summary>The root of this run's server directories (one per test process).</summary>
    public static string RunDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N").Substring(0, 6));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Removes rig directories (and kills their servers) left by test processes that died without cleaning up.</summary>
    public static void SweepStale()
    {
        foreach (var dir in System.IO.Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var pidText = Path.GetFileName(dir).Substring(DirectoryPrefix.Length).Split('-')[0];
            if (!int.TryParse(pidText, out var owner) || IsAlive(owner)) continue;
            try
            {
                foreach (var pidFile in System.IO.Directory.GetFiles(dir, "mariadbd.pid", SearchOption.AllDirectories))
                {
                    if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var serverPid) && IsAlive(serverPid))
                    {
                        try { Process.GetProcessById(serverPid).Kill(); } catch (InvalidOperationException) { } catch (ArgumentException) { }
                    }
                }

                System.IO.Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Another test process (the solution's assemblies start at once) swept it first, or a file is still held.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    public static async Task<MariaDbProcess> StartAsync(string runDirectory, string name)
    {
        var server = FindServer() ?? throw new InvalidOperationException(InstallHint);
        var installer = FindInstaller() ?? throw new InvalidOperationException(InstallHint);
        var dir = Path.Combine(runDirectory, name);
        var data = Path.Combine(dir, "data");
        var tmp = Path.Combine(dir, "tmp");
        System.IO.Directory.CreateDirectory(tmp);
        var osUser = Environment.UserName;
        var isRoot = osUser == "root";
        (int ExitCode, string Output) install = (0, string.Empty);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // A tmpdir of its own: parallel bootstraps sharing /tmp trip over each other's temporary tables.
            if (System.IO.Directory.Exists(data)) System.IO.Directory.Delete(data, recursive: true);
            System.IO.Directory.CreateDirectory(data);
            install = await RunAsync(installer, "--no-defaults", $"--datadir={data}", $"--tmpdir={tmp}", isRoot ? "--user=root" : $"--user={osUser}",
                "--auth-root-authentication-method=socket", $"--auth-root-socket-user={osUser}", "--skip-test-db", "--skip-name-resolve");
            if (install.ExitCode == 0) break;
        }

        if (install.ExitCode != 0) throw new InvalidOperationException($"mariadb-install-db failed for the {name} test server ({install.ExitCode}): {install.Output}");

        var password = "Rig-" + Guid.NewGuid().ToString("N");
        var initFile = Path.Combine(dir, "init.sql");
        File.WriteAllText(initFile,
            $"CREATE USER IF NOT EXISTS '{User}'@'127.0.0.1' IDENTIFIED BY '{password}';\n" +
            $"CREATE USER IF NOT EXISTS '{User}'@'localhost' IDENTIFIED BY '{password}';\n" +
            $"GRANT ALL PRIVILEGES ON *.* TO '{User}'@'127.0.0.1' WITH GRANT OPTION;\n" +
            $"GRANT ALL PRIVILEGES ON *.* TO '{User}'@'localhost' WITH GRANT OPTION;\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(initFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPorts.Claim();
            var instance = new MariaDbProcess(name, dir, port, password);
            try
            {
                await instance.LaunchAsync(server, data, initFile, isRoot);
                return instance;
            }
            catch (InvalidOperationException) when (attempt < 2)
            {
                instance.Dispose();
            }
        }
    }

    private (string Server, string Data, string InitFile, bool IsRoot)? _launch;

    /// <summary>A crash: SIGKILL, waiting until the process is gone (InnoDB recovers on the next start).</summary>
    public void Crash()
    {
        Kill();
        _process?.WaitForExit(10000);
    }

    /// <summary>Starts the server again on the same port and data directory (after <see cref="Crash"/>).</summary>
    public Task StartAgainAsync()
    {
        var launch = _launch ?? throw new InvalidOperationException("the server was never started");
        return LaunchAsync(launch.Server, launch.Data, launch.InitFile, launch.IsRoot);
    }

    private async Task LaunchAsync(string server, string data, string initFile, bool isRoot)
    {
        _launch = (server, data, initFile, isRoot);
        var args = new[]
        {
            "--no-defaults", $"--datadir={data}", $"--tmpdir={Path.Combine(Directory, "tmp")}", $"--port={Port}", "--bind-address=127.0.0.1", $"--socket={Path.Combine(Directory, "mariadbd.sock")}",
            $"--pid-file={Path.Combine(Directory, "mariadbd.pid")}", $"--log-error={Path.Combine(Directory, "error.log")}", $"--init-file={initFile}",
            "--skip-name-resolve", "--skip-log-bin", "--performance-schema=OFF", "--innodb-buffer-pool-size=128M", "--innodb-log-file-size=48M",
            "--innodb-flush-log-at-trx-commit=2", "--local-infile=1", "--max-allowed-packet=64M", "--max-connections=500",
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", isRoot ? "--user=root" : string.Empty,
        };
        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args.Where(a => a.Length > 0)) start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new InvalidOperationException("mariadbd did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        StartWatchdog(_process.Id);

        var connection = new MySqlConnectionStringBuilder { Server = "127.0.0.1", Port = (uint)Port, UserID = User, Password = Password, ConnectionTimeout = 2, Pooling = false }.ConnectionString;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"mariadbd for the {Name} test server exited with {_process.ExitCode}: {ErrorLogTail()}");
            try
            {
                await using var c = new MySqlConnection(connection);
                await c.OpenAsync();
                return;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (MySqlException ex)
            {
                throw new InvalidOperationException($"mariadbd for the {Name} test server did not accept connections within 60 s: {ex.Message}; {ErrorLogTail()}", ex);
            }
        }
    }

    /// <summary>
    /// Kills the server and removes its files within a second of this test process ending, however it
    /// ends (exit handlers do not run after a crash or SIGKILL, and the test host cuts them short).
    /// </summary>
    private void StartWatchdog(int serverPid)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; kill -9 {serverPid} 2>/dev/null; sleep 1; rm -rf '{Path.GetDirectoryName(Directory)}'";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var watchdog = Process.Start(start);
    }

    public string ErrorLogTail()
    {
        var log = Path.Combine(Directory, "error.log");
        return File.Exists(log) ? string.Join("\n", File.ReadAllLines(log).TakeLast(15)) : "(no error log)";
    }

    /// <summary>Sends SIGKILL without waiting (the test host gives exit handlers little time: signal every server first).</summary>
    public void Kill()
    {
        try
        {
            if (_process is { HasExited: false }) _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        try
        {
            _process?.WaitForExit(10000);
        }
        catch (InvalidOperationException)
        {
        }

        _process?.Dispose();
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string? Find(string name, params string[] candidates)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }

        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Runs a program to its end (at most 120 s), with its output and error text.</summary>
    internal static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
