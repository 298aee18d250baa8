using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.Maintenance;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 10: lift the gate (only onto agreeing selectors that name the new location); writes go there.
/// Alone: Clear-MaintenanceGate (refused while an unfinished run holds the gate).
/// </summary>
public sealed class ClearMaintenanceStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "clear_maintenance";

    /// <inheritdoc />
    public int Number => 10;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => false;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"lift FlyokaiMarketplaceRemote.config.maintenance in {context.Resolved.Shopware.Endpoint}.system_config";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        await SelectorsNameTheNewHomeAsync(context, cancellationToken).ConfigureAwait(false);
        await LiftAsync(context, cancellationToken).ConfigureAwait(false);
        outcome.Summary = "Gate lifted.";
        outcome.Set("GateSet", false);
    }

    /// <summary>Clear-MaintenanceGate: the step's body, refused while an unfinished run holds the gate unless <paramref name="ignoreUnfinishedRun"/>.</summary>
    public static async Task<GateStatus> AloneAsync(
        ResolvedProfile resolved,
        bool ignoreUnfinishedRun,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        SingleStepGuards.NoRunHoldsTheGate(resolved.Profile.StateDirectory, ignoreUnfinishedRun);
        var live = DataLocations.FromSelector(resolved.Profile.DataLocation) ?? Connections.EndpointRole.Shopware;
        await LiftAsync(RunContext.Alone(resolved, DataLocations.Toward(live), "Clear-MaintenanceGate", observer), cancellationToken)
            .ConfigureAwait(false);
        return new GateStatus(
            resolved.Profile.ShopwareRoot,
            false,
            resolved.Profile.DataLocation,
            resolved.Shopware.Endpoint.ToString(),
            0,
            0
        );
    }

    private static Task LiftAsync(RunContext context, CancellationToken cancellationToken) =>
        MaintenanceGate.WriteAsync(context.Resolved.SystemConfig, set: false, context.Observer, cancellationToken);

    /// <summary>
    /// The run's guard: the selectors may have been edited by hand since the flip (a rerun resumes after
    /// it), so the gate opens only onto agreeing selectors that name the verified copy.
    /// </summary>
    private static async Task SelectorsNameTheNewHomeAsync(RunContext context, CancellationToken cancellationToken)
    {
        var expected = context.Options.Direction.Target();
        var location = await DataLocationFlip
            .ReadAsync(context.Resolved.SystemConfig, context.Profile.ClusterConfigPath, cancellationToken)
            .ConfigureAwait(false);
        if (location.Role() == expected)
            return;
        throw new MigrationException(
            ErrorIds.SelectorsDisagree,
            MigrationErrorKind.OwnershipAmbiguous,
            location.ClusterConfigPath,
            $"The selectors changed after this run flipped them to '{expected.Selector()}': Shopware's dataLocation says '{location.ShopwareSelector}', "
                + $"{location.ClusterConfigPath} says '{location.ClusterSelector ?? "(not set)"}'. The gate stays set.",
            $"if the data should be served from '{expected.Selector()}' (where this run verified it), run Set-DataLocation -To {expected.Parameter()} "
                + "and rerun to lift the gate; if not, find out where the current data is (Compare-DataPlane) before anything else."
        );
    }
}
