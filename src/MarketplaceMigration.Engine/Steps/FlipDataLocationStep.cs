using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.State;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 6: flip the cluster file's <c>db.connection.active</c> and Shopware's <c>dataLocation</c> in lockstep, journaled.
/// Alone: Set-DataLocation (<see cref="AloneAsync"/>), refused unless both ends hold the same rows.
/// </summary>
public sealed class FlipDataLocationStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "flip_data_location";

    /// <inheritdoc />
    public int Number => 6;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => true;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"set db.connection.active in {context.Profile.ClusterConfigPath} and dataLocation in {context.Resolved.Shopware.Endpoint}.system_config "
        + $"to '{context.Options.Direction.Target().Selector()}'";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        context.State.Flip ??= new FlipJournal();
        await FlipAsync(context, context.State.Flip, context.State.RunId.Substring(0, 8), cancellationToken).ConfigureAwait(false);
        var location = context.Options.Direction.Target().Selector();
        outcome.Summary =
            $"Both selectors now say '{location}' (were: file '{context.State.Flip.PreviousActive}', system_config '{context.State.Flip.PreviousLocation}').";
        outcome.Set("SelectorsWritten", 2).Set("DataLocation", location).Set("Backup", context.State.Flip.BackupPath ?? "(unchanged file)");
    }

    /// <summary>
    /// Set-DataLocation: the step's body with no run, under the run lock, after the guard that both ends
    /// hold the same rows (unless <paramref name="skipVerification"/>). Returns both selectors afterwards.
    /// </summary>
    public static async Task<DataLocation> AloneAsync(
        ResolvedProfile resolved,
        EndpointRole to,
        bool skipVerification,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        observer ??= NullRunObserver.Instance;
        using var runLock = await RunLocking.AcquireAsync(resolved, observer, cancellationToken).ConfigureAwait(false);
        if (!skipVerification)
        {
            var results = await IntegrityCheckStep.BothEndsAsync(resolved, to, observer, cancellationToken).ConfigureAwait(false);
            SingleStepGuards.EndsHoldTheSameRows(results, to);
        }

        var suffix = "set-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        await FlipAsync(
                RunContext.Alone(resolved, DataLocations.Toward(to), "Set-DataLocation", observer),
                new FlipJournal(),
                suffix,
                cancellationToken
            )
            .ConfigureAwait(false);
        return await DataLocationFlip
            .ReadAsync(resolved.SystemConfig, resolved.Profile.ClusterConfigPath, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The body: both selectors to the context's target, each half journaled.</summary>
    private static Task FlipAsync(RunContext context, FlipJournal journal, string backupSuffix, CancellationToken cancellationToken) =>
        DataLocationFlip.FlipAsync(
            context.Resolved.SystemConfig,
            context.Profile.ClusterConfigPath,
            context.Options.Direction.Target(),
            journal,
            backupSuffix,
            context.Save,
            context.Observer,
            cancellationToken
        );
}
