using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Maintenance;

/// <summary>
/// A write gate is not a drain (Vitess #9481): a request that passed the gate check just before it
/// was set can still be inside its transaction. Right after the gate is set, this takes the set of
/// open InnoDB transactions on the source server that could touch the data plane (every one whose
/// connection's default database is the source database or none: a statement may name
/// <c>db.table</c>), and waits until each of them has ended. A transaction that starts later was
/// refused by the gate. On the deadline it names the blocking connections.
/// </summary>
public static class DrainProof
{
    /// <summary>The longest wait between two looks at the transactions still open.</summary>
    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(200);

    /// <summary>Waits for the drain; returns how many transactions it waited for and how long.</summary>
    public static async Task<(int Waited, double Seconds)> WaitAsync(
        ConnectionTarget source,
        TimeSpan deadline,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        observer ??= NullRunObserver.Instance;
        var watch = Stopwatch.StartNew();
        using var connection = await ConnectionFactory.OpenAsync(source, cancellationToken).ConfigureAwait(false);
        var initial = await OpenTransactionsAsync(connection, source, cancellationToken).ConfigureAwait(false);
        if (initial.Count == 0)
            return (0, watch.Elapsed.TotalSeconds);
        observer.Verbose(
            $"Waiting for {initial.Count} transaction(s) that began before the gate to end on {source.Endpoint}: {string.Join("; ", initial.Values)}"
        );
        var remaining = initial;
        // A shop's transaction lasts milliseconds, and every one the gate waits for is part of the freeze: look again after
        // 5 ms, then twice as long each time up to 200 ms (a fixed 200 ms made one open transaction cost the freeze 0.2 s).
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var now = await OpenTransactionsAsync(connection, source, cancellationToken).ConfigureAwait(false);
            remaining = remaining.Where(r => now.ContainsKey(r.Key)).ToDictionary(r => r.Key, r => now[r.Key]);
            if (remaining.Count == 0)
                return (initial.Count, watch.Elapsed.TotalSeconds);
            if (watch.Elapsed > deadline)
            {
                throw new MigrationException(
                    ErrorIds.DrainTimeout,
                    MigrationErrorKind.Timeout,
                    source.Endpoint.ToString(),
                    $"{remaining.Count} transaction(s) that began before the maintenance gate was set are still open on "
                        + $"{source.Endpoint} after {deadline.TotalSeconds:0} s: "
                        + string.Join("; ", remaining.Values)
                        + ". Copying now could miss their writes.",
                    "let them finish, or end them (KILL <connection id> on the source server) if they are stuck, then rerun; the gate stays set. "
                        + "A longer wait: timeouts.drainSeconds in the profile."
                );
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }

    private static async Task<Dictionary<string, string>> OpenTransactionsAsync(
        MySqlConnection connection,
        ConnectionTarget source,
        CancellationToken cancellationToken
    )
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        const string Sql =
            "SELECT t.trx_id, t.trx_mysql_thread_id, p.USER, p.HOST, p.DB, p.COMMAND, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()), t.trx_rows_modified "
            + "FROM information_schema.INNODB_TRX t LEFT JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
            + "WHERE t.trx_mysql_thread_id <> CONNECTION_ID() AND (p.DB IS NULL OR p.DB = DATABASE())";
        try
        {
            using var command = new MySqlCommand(Sql, connection);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                string S(int i) => reader.IsDBNull(i) ? "?" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
                result[S(0)] = $"connection {S(1)} ({S(2)}@{S(3)}, database {S(4)}, {S(5)}, open {S(6)} s, {S(7)} row(s) modified)";
            }
        }
        catch (MySqlException ex) when (ex.Number is 1227 or 1142 or 1045)
        {
            throw new MigrationException(
                ErrorIds.PrivilegeMissing,
                MigrationErrorKind.Permission,
                source.Endpoint.ToString(),
                $"The drain check cannot list open transactions on {source.Endpoint}: {ex.Message}",
                $"grant the PROCESS privilege to {source.Endpoint.User} (GRANT PROCESS ON *.* TO ...), then rerun; the gate stays set.",
                ex
            );
        }

        return result;
    }
}
