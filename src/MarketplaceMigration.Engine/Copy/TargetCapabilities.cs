using System;
using System.Globalization;
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
        if (target is null) throw new ArgumentNullException(nameof(target));
        using var connection = await ConnectionFactory.OpenAsync(target, cancellationToken).ConfigureAwait(false);
        using var command = new MySqlCommand("SELECT @@GLOBAL.local_infile", connection);
        var value = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (value != 1)
        {
            throw new MigrationException(ErrorIds.LocalInfileDisabled, MigrationErrorKind.PreflightFailed, target.Endpoint.ToString(),
                $"The target server {target.Endpoint} has local_infile OFF, and the copy loads rows with LOAD DATA LOCAL INFILE.",
                "SET GLOBAL local_infile = 1 on the target (and local_infile=1 under [mysqld] to keep it), then rerun. Nothing has changed yet.");
        }
    }
}
