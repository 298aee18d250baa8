using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.Runs;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>Step 10: lift the gate (only onto agreeing selectors that name the new location); writes go there.</summary>
public sealed class ClearMaintenanceStep : IMigrationStep
{
    /// <inheritdoc />
    public int Number => 10;

    /// <inheritdoc />
    public string Name => "clear_maintenance";

    /// <inheritdoc />
    public MigrationPhase Phase => MigrationPhase.Cleanup;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"lift FlyokaiMarketplaceRemote.config.maintenance in {context.Resolved.Shopware.Endpoint}.system_config";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        // The selectors may have been edited by hand since the flip (a rerun resumes after it): open the
        // gate only onto agreeing selectors that name the verified copy.
        var expected = context.Options.Direction.Location();
        var location = await DataLocationFlip.ReadAsync(context.Resolved, cancellationToken).ConfigureAwait(false);
        if (!location.Agree || location.Location != expected)
        {
            throw new MigrationException(
                ErrorIds.SelectorsDisagree,
                MigrationErrorKind.OwnershipAmbiguous,
                location.ClusterConfigPath,
                $"The selectors changed after this run flipped them to '{expected}': Shopware's dataLocation says '{location.ShopwareSelector}', {location.ClusterConfigPath} says '{location.ClusterSelector ?? "(not set)"}'. The gate stays set.",
                $"if the data should be served from '{expected}' (where this run verified it), run Set-DataLocation -To {(expected == "cluster" ? "Cluster" : "Shopware")} and rerun to lift the gate; if not, find out where the current data is (Compare-DataPlane) before anything else."
            );
        }

        await MaintenanceGate.WriteAsync(context.Resolved, set: false, context.Observer, cancellationToken).ConfigureAwait(false);
        outcome.Summary = "Gate lifted.";
        outcome.Set("GateSet", false);
    }
}
