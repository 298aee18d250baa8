using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Cluster;
using MarketplaceMigration.Engine.Runs;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>Step 7: restart the cluster so it reads the new selector, and wait for its channel port.</summary>
public sealed class RestartClusterStep : IMigrationStep
{
    /// <inheritdoc />
    public int Number => 7;

    /// <inheritdoc />
    public string Name => "restart_cluster";

    /// <inheritdoc />
    public MigrationPhase Phase => MigrationPhase.Cutover;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"run '{context.Profile.ClusterRestartCommand}' and wait up to {context.Profile.PortTimeoutSeconds} s for {context.Profile.FlyokaiHost}:{context.Profile.ChannelPort}";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var (command, seconds) = await ClusterRestart.RunAsync(context.Profile, context.Observer, cancellationToken).ConfigureAwait(false);
        outcome.Summary = $"Restart command took {command.Seconds:0.0} s; the channel port answered {seconds:0.0} s later.";
        outcome
            .Set("CommandSeconds", Math.Round(command.Seconds, 2).ToString(CultureInfo.InvariantCulture))
            .Set("PortSeconds", Math.Round(seconds, 2).ToString(CultureInfo.InvariantCulture));
    }
}
