using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.Runs;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>Step 2: set the gate, then prove that writes have drained from the source.</summary>
public sealed class SetMaintenanceStep : IMigrationStep
{
    /// <inheritdoc />
    public int Number => 2;

    /// <inheritdoc />
    public string Name => "set_maintenance";

    /// <inheritdoc />
    public MigrationPhase Phase => MigrationPhase.Freeze;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"set FlyokaiMarketplaceRemote.config.maintenance in {context.Resolved.Shopware.Endpoint}.system_config and wait up to {context.Profile.DrainTimeoutSeconds} s for open transactions on {context.Source.Endpoint} to end";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        // Whether the gate was already set (by the operator, or an earlier attempt) tells Stop-DataMigration whether lifting it is its to do.
        if (!context.State.Step(Name).Details.ContainsKey("GateWasSet"))
        {
            outcome.Set("GateWasSet", await MaintenanceGate.IsSetAsync(context.Resolved.Shopware, cancellationToken).ConfigureAwait(false));
        }

        await MaintenanceGate.WriteAsync(context.Resolved, set: true, context.Observer, cancellationToken).ConfigureAwait(false);
        var (waited, seconds) = await DrainProof
            .WaitAsync(context.Source, TimeSpan.FromSeconds(context.Profile.DrainTimeoutSeconds), context.Observer, cancellationToken)
            .ConfigureAwait(false);
        outcome.Summary =
            waited == 0
                ? "Gate set; no transaction was open on the source."
                : $"Gate set; {waited} open transaction(s) drained in {seconds:0.0} s.";
        outcome
            .Set("GateSet", true)
            .Set("TransactionsDrained", waited)
            .Set("DrainSeconds", Math.Round(seconds, 2).ToString(CultureInfo.InvariantCulture));
    }
}
