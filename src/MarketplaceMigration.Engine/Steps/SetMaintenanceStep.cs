using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Maintenance;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>Step 2: set the gate, then prove that writes have drained from the source. Alone: Set-MaintenanceGate.</summary>
public sealed class SetMaintenanceStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "set_maintenance";

    /// <inheritdoc />
    public int Number => 2;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => false;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"set FlyokaiMarketplaceRemote.config.maintenance in {context.Resolved.Shopware.Endpoint}.system_config "
        + $"and wait up to {context.Profile.DrainTimeoutSeconds} s for open transactions on {context.Source.Endpoint} to end";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        // Whether the gate was already set (by the operator, or an earlier attempt) tells Stop-DataMigration whether lifting it is its to do.
        if (!context.State.Step(Name).Details.ContainsKey("GateWasSet"))
        {
            outcome.Set("GateWasSet", await MaintenanceGate.IsSetAsync(context.Resolved.Shopware, cancellationToken).ConfigureAwait(false));
        }

        await SetAndDrainAsync(context, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Set-MaintenanceGate: the step's body, draining the database the data lives in now.</summary>
    public static async Task<GateStatus> AloneAsync(ResolvedProfile resolved, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        var live = DataLocations.FromSelector(resolved.Profile.DataLocation) ?? Connections.EndpointRole.Shopware;
        var context = RunContext.Alone(resolved, DataLocations.Toward(live.Other()), "Set-MaintenanceGate", observer);
        var outcome = new StepOutcome();
        var (waited, seconds) = await SetAndDrainAsync(context, outcome, cancellationToken).ConfigureAwait(false);
        return new GateStatus(
            resolved.Profile.ShopwareRoot,
            true,
            resolved.Profile.DataLocation,
            resolved.Shopware.Endpoint.ToString(),
            waited,
            Math.Round(seconds, 2)
        );
    }

    private static async Task<(int Waited, double Seconds)> SetAndDrainAsync(
        RunContext context,
        StepOutcome outcome,
        CancellationToken cancellationToken
    )
    {
        await MaintenanceGate
            .WriteAsync(context.Resolved.SystemConfig, set: true, context.Observer, cancellationToken)
            .ConfigureAwait(false);
        // On a Galera source every node takes writes: the transactions open before the gate are looked for on each.
        var topology = await context.TopologyAsync(context.Options.Direction.Source(), cancellationToken).ConfigureAwait(false);
        var (waited, seconds) = (0, 0.0);
        foreach (var node in topology.Nodes)
        {
            var (w, s) = await DrainProof
                .WaitAsync(node, TimeSpan.FromSeconds(context.Profile.DrainTimeoutSeconds), context.Observer, cancellationToken)
                .ConfigureAwait(false);
            (waited, seconds) = (waited + w, seconds + s);
        }

        var where = topology.IsGalera ? $"on any of the source's {topology.Nodes.Count} Galera nodes" : "on the source";
        outcome.Summary =
            waited == 0
                ? $"Gate set; no transaction was open {where}."
                : $"Gate set; {waited} open transaction(s) {where} drained in {seconds:0.0} s.";
        outcome
            .Set("GateSet", true)
            .Set("TransactionsDrained", waited)
            .Set("DrainSeconds", Math.Round(seconds, 2).ToString(CultureInfo.InvariantCulture));
        return (waited, seconds);
    }
}
