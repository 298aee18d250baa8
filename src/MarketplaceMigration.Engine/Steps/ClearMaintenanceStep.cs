using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.Runs;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>Step 10: lift the gate; writes go to the new location.</summary>
public sealed class ClearMaintenanceStep : IMigrationStep
{
    /// <inheritdoc />
    public int Number => 10;

    /// <inheritdoc />
    public string Name => "clear_maintenance";

    /// <inheritdoc />
    public MigrationPhase Phase => MigrationPhase.Cleanup;

    /// <inheritdoc />
    public string Describe(RunContext context) => $"lift FlyokaiMarketplaceRemote.config.maintenance in {context.Resolved.Shopware.Endpoint}.system_config";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        await MaintenanceGate.WriteAsync(context.Resolved, set: false, context.Observer, cancellationToken).ConfigureAwait(false);
        outcome.Summary = "Gate lifted.";
        outcome.Set("GateSet", false);
    }
}
