using System;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Cluster;

/// <summary>
/// Runs the ping (<c>php bin/console marketplace:ping</c> by default) in a fresh process, so it opens
/// a new connection to the restarted cluster. It passes when the ping succeeds and, where it reports
/// <c>OK: N seller(s) total</c>, N equals the sellers in the database the data now lives in: a stale
/// worker answering from the old location fails here.
/// </summary>
public static class SmokeTest
{
    private static readonly Regex Sellers = new(@"OK:\s*(\d+)\s+seller", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>Pings the cluster and checks the answer against <paramref name="location"/>.</summary>
    public static async Task<SmokeResult> RunAsync(
        ClusterSettings settings,
        ConnectionTarget location,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (settings is null)
            throw new ArgumentNullException(nameof(settings));
        if (location is null)
            throw new ArgumentNullException(nameof(location));
        observer ??= NullRunObserver.Instance;
        var command = settings.SmokeCommand
            ?? throw new MigrationException(
                ErrorIds.SmokeTestFailed,
                MigrationErrorKind.InvalidInput,
                settings.ShopwareRoot,
                $"No ping command is known: {settings.ShopwareRoot} has no bin/console and the profile sets no smokeCommand.",
                "set smokeCommand in the profile to a command that pings the marketplace through the cluster (e.g. 'php bin/console marketplace:ping')."
            );
        var result = await ShellCommand
            .RunAsync(command, settings.ShopwareRoot, settings.SmokeTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new MigrationException(
                ErrorIds.SmokeTestFailed,
                MigrationErrorKind.VerificationFailed,
                command,
                $"The ping '{command}' "
                    + (
                        result.TimedOut
                            ? $"did not answer within {settings.SmokeTimeout.TotalSeconds} s"
                            : $"failed with exit code {result.ExitCode}"
                    )
                    + $": {result.Tail()}",
                $"stale workers may still own the cluster ports (ss -lntp 'sport = :{settings.ChannelPort} or sport = "
                    + $":{settings.HttpPort}'; kill them, systemd may still say active), or the cluster cannot reach its "
                    + "database; fix it, then rerun."
            );
        }

        var match = Sellers.Match(result.Output);
        long? reported = match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        long? expected = null;
        if (reported.HasValue && settings.SellersMove)
        {
            using var connection = await ConnectionFactory.OpenAsync(location, cancellationToken).ConfigureAwait(false);
            using var count = new MySqlCommand("SELECT COUNT(*) FROM flyokai_seller", connection);
            expected = Convert.ToInt64(
                await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                CultureInfo.InvariantCulture
            );
            if (expected != reported)
            {
                throw new MigrationException(
                    ErrorIds.SmokeSellerCountMismatch,
                    MigrationErrorKind.VerificationFailed,
                    command,
                    $"The ping answered {reported} seller(s), but the new location {location.Endpoint} holds {expected}: the "
                        + "cluster still reads the old location.",
                    $"a stale cluster worker is answering (ss -lntp 'sport = :{settings.ChannelPort} or sport = "
                        + $":{settings.HttpPort}'; kill it) or the restart command did not restart the cluster; fix it, then rerun."
                );
            }
        }

        observer.Verbose($"Ping '{command}' answered in {result.Seconds:0.0} s: {result.Tail(2)}");
        return new SmokeResult(command, result.Tail(), reported, expected, result.Seconds);
    }
}
