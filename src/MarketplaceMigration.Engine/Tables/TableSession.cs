using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>
/// Connections for the copy and the verification, with their session pinned the same way on both
/// servers: UTC (TIMESTAMP values travel and hash as UTC text), room for the verification's ordered digests, strict SQL mode (a value the target
/// would coerce is an error, never a warning), NO_AUTO_VALUE_ON_ZERO (a 0 id stays 0), and, for
/// writing, foreign-key and unique checks off (the whole set is loaded, order does not matter, and
/// the rows come from a table with the same unique keys under the same collations: schema_check
/// makes a collation difference on a unique key an error).
/// </summary>
public static class TableSession
{
    /// <summary>Bytes a reading session's GROUP_CONCAT may hold: the verification's ordered digests, 16 a row
    /// (<c>Verify.RowHashSql.OrderedDigest</c>); within every server's range.</summary>
    internal const long GroupConcatBytes = 1L << 30;

    private static readonly string ReadSession =
        "SET SESSION time_zone = '+00:00', SESSION group_concat_max_len = "
        + GroupConcatBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A reading session whose statements run as long as they take.</summary>
    public static Task<MySqlConnection> OpenReadAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
        OpenReadAsync(target, statementSeconds: 0, cancellationToken);

    /// <summary>A reading session whose statements may take <paramref name="statementSeconds"/> each (0: no limit) before its link counts as stalled.</summary>
    public static async Task<MySqlConnection> OpenReadAsync(
        ConnectionTarget target,
        int statementSeconds,
        CancellationToken cancellationToken
    )
    {
        var options = new SessionOptions { CommandTimeoutSeconds = statementSeconds };
        var connection = await ConnectionFactory.OpenAsync(target, options, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, ReadSession, cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>A reading session of its own (not pooled) for blocking I/O only: the copy's chunk stream (see <c>Copy.TableCopier</c>).</summary>
    public static MySqlConnection OpenStreamingRead(ConnectionTarget target, CancellationToken cancellationToken) =>
        OpenStreaming(target, SessionOptions.Unpooled, ReadSession, cancellationToken);

    /// <summary>A writing session of its own (not pooled) for blocking I/O only, set up as
    /// <see cref="OpenWriteAsync(ConnectionTarget, int, bool, CancellationToken)"/>'s.</summary>
    public static MySqlConnection OpenStreamingWrite(
        ConnectionTarget target,
        int lockWaitSeconds,
        bool uniqueChecks,
        CancellationToken cancellationToken
    ) =>
        OpenStreaming(
            target,
            SessionOptions.Unpooled with
            {
                LoadLocalInfile = true,
            },
            WriteSession(lockWaitSeconds, uniqueChecks),
            cancellationToken
        );

    /// <summary>How long a writing session's statements wait for another session's lock unless told otherwise.</summary>
    public const int DefaultLockWaitSeconds = 60;

    /// <summary>A writing session with the default lock wait and unique checks off (the offline copy).</summary>
    public static Task<MySqlConnection> OpenWriteAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
        OpenWriteAsync(target, DefaultLockWaitSeconds, uniqueChecks: false, cancellationToken);

    /// <summary>A writing session (LOAD DATA LOCAL allowed); its statements wait at most <paramref name="lockWaitSeconds"/> for
    /// another session's lock.</summary>
    /// <remarks>
    /// With <paramref name="uniqueChecks"/> (an online run's copy and replay) the target checks unique keys:
    /// rows read at different moments of a live source may transiently collide on one, and REPLACE then
    /// removes the stale row, whose own change the changelog holds and replays.
    /// </remarks>
    public static async Task<MySqlConnection> OpenWriteAsync(
        ConnectionTarget target,
        int lockWaitSeconds,
        bool uniqueChecks,
        CancellationToken cancellationToken
    )
    {
        var connection = await ConnectionFactory
            .OpenAsync(target, new SessionOptions { LoadLocalInfile = true }, cancellationToken)
            .ConfigureAwait(false);
        await ExecuteAsync(connection, WriteSession(lockWaitSeconds, uniqueChecks), cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static string WriteSession(int lockWaitSeconds, bool uniqueChecks = false) =>
        $"SET SESSION time_zone = '+00:00', SESSION foreign_key_checks = 0, SESSION unique_checks = {(uniqueChecks ? 1 : 0)}, "
        + "SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION', "
        + $"SESSION lock_wait_timeout = {lockWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}, SESSION "
        + $"innodb_lock_wait_timeout = {lockWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private static MySqlConnection OpenStreaming(
        ConnectionTarget target,
        SessionOptions options,
        string session,
        CancellationToken cancellationToken
    )
    {
        var connection = ConnectionFactory.Open(target, options, cancellationToken);
        try
        {
            using var command = new MySqlCommand(session, connection);
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs one statement.</summary>
    public static async Task<int> ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
