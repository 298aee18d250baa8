using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;
using MySqlConnector;

namespace MarketplaceMigration.Engine.State;

/// <summary>
/// Keeps runs apart: a session lock on the Shopware server (<c>GET_LOCK</c>, released by the server
/// when our connection dies, so a crashed run never blocks the next one) and a lock file with pid,
/// host and process start time beside the state, so an operator can see who holds it. A lock file
/// whose process is gone is reclaimed with a warning.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The lock file's name in the state directory.</summary>
    public const string FileName = "migration.lock";

    private readonly string _path;
    private readonly string _token;
    private readonly string _name;
    private readonly ConnectionTarget _shopware;
    private MySqlConnection _connection;

    private RunLock(MySqlConnection connection, string path, string token, string name, ConnectionTarget shopware)
    {
        _connection = connection;
        _path = path;
        _token = token;
        _name = name;
        _shopware = shopware;
    }

    /// <summary>
    /// Keeps the server lock through a broken link: when the lock's session died (a reset, a server restart:
    /// the server released GET_LOCK with it), takes it again on a new session, or throws <c>RunInProgress</c>
    /// when another session took it meanwhile. The runner calls this before every step.
    /// </summary>
    public async Task KeepAsync(IRunObserver observer, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _others.Count; i++)
        {
            var (node, session) = _others[i];
            if (await session.PingAsync(cancellationToken).ConfigureAwait(false))
                continue;
            session.Dispose();
            var again = await ConnectionFactory.OpenAsync(node, SessionOptions.Unpooled, cancellationToken).ConfigureAwait(false);
            _others[i] = (node, again);
            if (!await TakeAsync(again, _name, cancellationToken).ConfigureAwait(false))
                throw InProgress(
                    _path,
                    $"the server lock '{_name}' on the Galera node {node.Endpoint} was taken by another session after ours was lost"
                );
        }

        if (await _connection.PingAsync(cancellationToken).ConfigureAwait(false))
            return;
        _connection.Dispose();
        _connection = await ConnectionFactory.OpenAsync(_shopware, SessionOptions.Unpooled, cancellationToken).ConfigureAwait(false);
        if (!await TakeAsync(_connection, _name, cancellationToken).ConfigureAwait(false))
            throw InProgress(_path, $"the server lock '{_name}' on {_shopware.Endpoint} was taken by another session after ours was lost");
        observer?.Verbose($"The run lock's session on {_shopware.Endpoint} was lost; the server lock '{_name}' is taken again.");
    }

    private static async Task<bool> TakeAsync(MySqlConnection connection, string name, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand("SELECT GET_LOCK(@name, 0)", connection);
        command.Parameters.AddWithValue("@name", name);
        var got = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(got, System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>Takes the lock, or throws <c>RunInProgress</c> naming the holder.</summary>
    public static Task<RunLock> AcquireAsync(
        string stateDirectory,
        ConnectionTarget shopware,
        IRunObserver observer,
        CancellationToken cancellationToken
    ) => AcquireAsync(stateDirectory, shopware, Array.Empty<ConnectionTarget>(), observer, cancellationToken);

    /// <summary>
    /// Takes the lock, also on <paramref name="otherNodes"/>: when Shopware's database is a Galera cluster, GET_LOCK is local
    /// to a node (MDEV-31325), so the lock is taken on every node, and a run that reaches the database through any of them
    /// finds it held. Throws <c>RunInProgress</c> naming the holder.
    /// </summary>
    public static async Task<RunLock> AcquireAsync(
        string stateDirectory,
        ConnectionTarget shopware,
        IReadOnlyList<ConnectionTarget> otherNodes,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var others = new List<(ConnectionTarget Node, MySqlConnection Session)>();
        try
        {
            var runLock = await AcquireOneAsync(stateDirectory, shopware, observer, cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var node in otherNodes ?? Array.Empty<ConnectionTarget>())
                {
                    var session = await ConnectionFactory.OpenAsync(node, SessionOptions.Unpooled, cancellationToken).ConfigureAwait(false);
                    others.Add((node, session));
                    if (!await TakeAsync(session, runLock._name, cancellationToken).ConfigureAwait(false))
                        throw InProgress(
                            runLock._path,
                            $"the server lock '{runLock._name}' on the Galera node {node.Endpoint} is held by another session"
                        );
                }
            }
            catch
            {
                runLock.Dispose();
                throw;
            }

            runLock._others.AddRange(others);
            return runLock;
        }
        catch
        {
            foreach (var (_, session) in others)
                session.Dispose();
            throw;
        }
    }

    private readonly List<(ConnectionTarget Node, MySqlConnection Session)> _others = new();

    private static async Task<RunLock> AcquireOneAsync(
        string stateDirectory,
        ConnectionTarget shopware,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (shopware is null)
            throw new ArgumentNullException(nameof(shopware));
        observer ??= NullRunObserver.Instance;
        StateStore.EnsureUsable(stateDirectory);
        var path = Path.Combine(stateDirectory, FileName);
        var name = "MarketplaceMigration:" + shopware.Endpoint.Database;
        // Unpooled: the server session, and with it GET_LOCK, must end when the run ends or dies;
        // a pooled connection would keep the session, and the lock, alive after Dispose.
        var connection = await ConnectionFactory.OpenAsync(shopware, SessionOptions.Unpooled, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await TakeAsync(connection, name, cancellationToken).ConfigureAwait(false))
                throw InProgress(path, $"the server lock '{name}' on {shopware.Endpoint} is held by another session");

            var holder = ReadHolder(path);
            if (holder != null)
            {
                if (holder.Host == Environment.MachineName && IsAlive(holder))
                {
                    throw InProgress(path, $"process {holder.Pid} on {holder.Host} (started {holder.ProcessStartedAt:u}) holds {path}");
                }

                observer.Warning(
                    $"Reclaimed the run lock {path} of process {holder.Pid} on {holder.Host}, which no longer runs (it started {holder.AcquiredAt:u})."
                );
                File.Delete(path);
            }

            var me = Process.GetCurrentProcess();
            var token = Guid.NewGuid().ToString("N");
            var record = new LockHolder
            {
                Pid = me.Id,
                Host = Environment.MachineName,
                ProcessStartedAt = me.StartTime.ToUniversalTime(),
                AcquiredAt = DateTimeOffset.UtcNow,
                Token = token,
            };
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
            {
                PosixFile.Chmod(path, PosixFile.OwnerReadWrite);
                var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record));
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }

            return new RunLock(connection, path, token, name, shopware);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Whether a live run holds the lock file (used by read-only cmdlets to say so).</summary>
    public static bool IsHeld(string stateDirectory)
    {
        var holder = ReadHolder(Path.Combine(stateDirectory, FileName));
        return holder != null && (holder.Host != Environment.MachineName || IsAlive(holder));
    }

    /// <summary>Releases the server lock and removes the lock file (when it is still ours).</summary>
    public void Dispose()
    {
        try
        {
            if (ReadHolder(_path)?.Token == _token)
                File.Delete(_path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }

        try
        {
            using var release = new MySqlCommand("DO RELEASE_LOCK(@name)", _connection);
            release.Parameters.AddWithValue("@name", _name);
            release.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is MySqlException or IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // The session may already be gone (a reset, a server restart); the server released the lock with it.
        }

        _connection.Dispose();
        foreach (var (_, session) in _others)
            session.Dispose(); // a node's session ending releases its GET_LOCK
        _others.Clear();
    }

    private static LockHolder? ReadHolder(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<LockHolder>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return new LockHolder { Pid = -1, Host = "(unreadable lock file)" };
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsAlive(LockHolder holder)
    {
        try
        {
            using var process = Process.GetProcessById(holder.Pid);
            // A recycled pid belongs to a process that started after the lock was taken.
            return !process.HasExited
                && Math.Abs((process.StartTime.ToUniversalTime() - holder.ProcessStartedAt.UtcDateTime).TotalSeconds) < 2;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static MigrationException InProgress(string path, string who) =>
        new(
            ErrorIds.RunInProgress,
            MigrationErrorKind.PreflightFailed,
            path,
            $"Another migration run is in progress: {who}. Only one run may change the data plane at a time.",
            "wait for it to finish (Get-MigrationState shows where it stands). If you are sure nothing runs, the server lock is "
                + "released when that session ends."
        );

    private sealed class LockHolder
    {
        public int Pid { get; set; }

        public string Host { get; set; } = string.Empty;

        public DateTimeOffset ProcessStartedAt { get; set; }

        public DateTimeOffset AcquiredAt { get; set; }

        public string Token { get; set; } = string.Empty;
    }
}
