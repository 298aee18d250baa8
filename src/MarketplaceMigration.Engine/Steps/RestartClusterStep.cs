using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Cluster;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>Step 7: restart the cluster so it reads the new selector, and wait for its channel port. Alone: Restart-MarketplaceCluster.</summary>
public sealed class RestartClusterStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "restart_cluster";

    /// <inheritdoc />
    public int Number => 7;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => true;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"run '{context.Profile.ClusterRestartCommand}' and wait up to {context.Profile.PortTimeoutSeconds} s "
        + $"for {context.Profile.FlyokaiHost}:{context.Profile.ChannelPort}";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var result = await AloneAsync(context.Resolved, context.Observer, cancellationToken).ConfigureAwait(false);
        outcome.Summary =
            $"Restart command took {result.CommandSeconds:0.0} s; the channel port answered {result.PortSeconds:0.0} s later.";
        outcome
            .Set("CommandSeconds", result.CommandSeconds.ToString(CultureInfo.InvariantCulture))
            .Set("PortSeconds", result.PortSeconds.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The body, and Restart-MarketplaceCluster: run the restart command and wait for the channel port.</summary>
    public static async Task<ClusterRestartResult> AloneAsync(
        ResolvedProfile resolved,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        var settings = resolved.ClusterSettings;
        var (command, seconds) = await ClusterRestart.RunAsync(settings, observer, cancellationToken).ConfigureAwait(false);
        return new ClusterRestartResult(
            settings.RestartCommand,
            command.ExitCode,
            Math.Round(command.Seconds, 2),
            Math.Round(seconds, 2),
            $"{settings.Host}:{settings.ChannelPort}",
            command.Tail()
        );
    }
}
