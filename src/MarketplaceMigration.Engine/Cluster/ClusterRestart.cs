using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;

namespace MarketplaceMigration.Engine.Cluster;

/// <summary>
/// Restarts the cluster so it reads the flipped selector: runs clusterRestartCommand (time-bounded,
/// output captured), then polls the channel port until it accepts a connection.
/// </summary>
public static class ClusterRestart
{
    /// <summary>Runs the restart and waits for the port; returns the command's result and the seconds until the port answered.</summary>
    public static async Task<(CommandResult Command, double PortSeconds)> RunAsync(
        ClusterSettings settings,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (settings is null)
            throw new ArgumentNullException(nameof(settings));
        observer ??= NullRunObserver.Instance;
        var command = settings.RestartCommand;
        observer.Verbose($"Running the restart command '{command}' (up to {settings.RestartTimeout.TotalSeconds} s).");
        var result = await ShellCommand
            .RunAsync(command, settings.ShopwareRoot, settings.RestartTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (result.TimedOut)
        {
            throw Failed(
                command,
                $"ran longer than {settings.RestartTimeout.TotalSeconds} s and was stopped. Output: {result.Tail()}",
                "the command must return once the cluster is back (systemctl restart does); fix it, or raise timeouts.restartSeconds, then rerun"
            );
        }

        if (result.ExitCode == 127)
        {
            throw Failed(
                command,
                $"was not found (exit 127): {result.Tail()}",
                "set clusterRestartCommand (or restartCommand in the profile) to a command that exists on this machine, e.g. "
                    + "'sudo systemctl restart flyokai-cluster', then rerun"
            );
        }

        if (result.ExitCode != 0)
        {
            throw Failed(
                command,
                $"exited with {result.ExitCode}: {(result.Tail() is { Length: > 0 } tail ? tail : "(no output)")}",
                "the command needs sudo rights it does not have, or does not restart the cluster; fix it (a passwordless sudoers "
                    + "rule, or run as root), then rerun"
            );
        }

        observer.Debug($"Restart command output: {result.Tail()}");
        var seconds = await PortProbe
            .WaitAsync(settings.Host, settings.ChannelPort, settings.PortTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (seconds is null)
        {
            var owners = PortOwners.Describe(settings.ChannelPort, settings.HttpPort);
            throw new MigrationException(
                ErrorIds.ClusterPortTimeout,
                MigrationErrorKind.Timeout,
                $"{settings.Host}:{settings.ChannelPort}",
                $"The cluster's channel port {settings.Host}:{settings.ChannelPort} did not accept a connection within "
                    + $"{settings.PortTimeout.TotalSeconds} s after the restart command. "
                    + (
                        owners.Count > 0
                            ? "Listening on the cluster ports: " + string.Join("; ", owners) + "."
                            : $"Nothing listens on ports {settings.ChannelPort} or {settings.HttpPort}."
                    ),
                "check that the restart command really starts the cluster (its log), and that no stale worker holds the ports "
                    + $"(ss -lntp 'sport = :{settings.ChannelPort} or sport = :{settings.HttpPort}'; kill them), then rerun."
            );
        }

        return (result, seconds.Value);
    }

    private static MigrationException Failed(string command, string what, string fix) =>
        new(ErrorIds.RestartCommandFailed, MigrationErrorKind.Unspecified, command, $"The restart command '{command}' {what}", fix + ".");
}
