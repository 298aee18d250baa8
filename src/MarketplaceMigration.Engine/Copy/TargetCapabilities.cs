using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Errors;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>What the target server must allow for the bulk copy.</summary>
public static class TargetCapabilities
{
    /// <summary>The copy loads with LOAD DATA LOCAL INFILE: the server's <c>local_infile</c> must be ON.</summary>
    public static async Task CheckLocalInfileAsync(ConnectionTarget target, CancellationToken cancellationToken)
    {
        if (target is null)
            throw new ArgumentNullException(nameof(target));
        using var connection = await ConnectionFactory.OpenAsync(target, cancellationToken).ConfigureAwait(false);
        using var command = new MySqlCommand("SELECT @@GLOBAL.local_infile", connection);
        var value = Convert.ToInt64(
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture
        );
        if (value != 1)
        {
            throw new MigrationException(
                ErrorIds.LocalInfileDisabled,
                MigrationErrorKind.PreflightFailed,
                target.Endpoint.ToString(),
                $"The target server {target.Endpoint} has local_infile OFF, and the copy loads rows with LOAD DATA LOCAL INFILE.",
                "SET GLOBAL local_infile = 1 on the target (and local_infile=1 under [mysqld] to keep it), then rerun. Nothing has changed yet."
            );
        }
    }

    // The variables that make a server refuse writes, in MariaDB's and MySQL 8's spellings; a server
    // lacks the ones it does not have (SHOW VARIABLES lists only what exists, session values first).
    private static readonly string[] ReadOnlyVariables =
    {
        "read_only",
        "super_read_only",
        "innodb_read_only",
        "transaction_read_only",
        "tx_read_only",
    };

    /// <summary>
    /// An end the run writes to must take writes: not <c>read_only</c> (a replica, even for an admin
    /// user: writing there would fork it), <c>super_read_only</c>, <c>innodb_read_only</c>, nor a
    /// read-only transaction default for this user's session. Checked in step 1; today a read-only
    /// target would otherwise fail the copy at step 4, behind the gate, with a misleading fix.
    /// </summary>
    /// <param name="end">The end.</param>
    /// <param name="writes">What the run writes there, for the message ("the copy's rows").</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public static async Task CheckWritableAsync(ConnectionTarget end, string writes, CancellationToken cancellationToken)
    {
        if (end is null)
            throw new ArgumentNullException(nameof(end));
        using var connection = await ConnectionFactory.OpenAsync(end, cancellationToken).ConfigureAwait(false);
        using var command = new MySqlCommand(
            "SHOW VARIABLES WHERE Variable_name IN ('" + string.Join("', '", ReadOnlyVariables) + "')",
            connection
        );
        var values = new System.Collections.Generic.Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                values[reader.GetString(0)] = Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture) ?? string.Empty;
        }

        var on = ReadOnlyOn(values);
        if (on.Count > 0)
        {
            throw new MigrationException(
                ErrorIds.TargetReadOnly,
                MigrationErrorKind.PreflightFailed,
                end.Endpoint.ToString(),
                $"The {end.Endpoint.Role} end {end.Endpoint} does not take writes ({string.Join(", ", on)}), and the run writes "
                    + $"{writes} there. Nothing was changed.",
                "point the profile at the primary server if this is a replica; otherwise SET GLOBAL "
                    + on[0].Split(' ')[0]
                    + " = OFF on it (and in its config file), or, for a read-only "
                    + "transaction default, remove it from the user's session (init_connect, the server's transaction_read_only), then rerun."
            );
        }
    }

    /// <summary>The read-only switches that are on, as "name = value" (from SHOW VARIABLES rows; exposed for tests on captured rows).</summary>
    public static System.Collections.Generic.IReadOnlyList<string> ReadOnlyOn(
        System.Collections.Generic.IReadOnlyDictionary<string, string> variables
    )
    {
        if (variables is null)
            throw new ArgumentNullException(nameof(variables));
        return ReadOnlyVariables
            .Where(n => variables.TryGetValue(n, out var v) && (v.Equals("ON", StringComparison.OrdinalIgnoreCase) || v == "1"))
            .Where(n => n != "tx_read_only" || !variables.ContainsKey("transaction_read_only")) // one switch, two names
            .Select(n => $"{n} = ON")
            .ToList();
    }
}
