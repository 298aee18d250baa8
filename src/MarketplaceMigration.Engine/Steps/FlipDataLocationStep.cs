using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>Step 6: flip the cluster file's <c>db.connection.active</c> and Shopware's <c>dataLocation</c> in lockstep, journaled.</summary>
public sealed class FlipDataLocationStep : IMigrationStep
{
    /// <inheritdoc />
    public int Number => 6;

    /// <inheritdoc />
    public string Name => "flip_data_location";

    /// <inheritdoc />
    public MigrationPhase Phase => MigrationPhase.Cutover;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"set db.connection.active in {context.Profile.ClusterConfigPath} and dataLocation in {context.Resolved.Shopware.Endpoint}.system_config to '{context.Options.Direction.Location()}'";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        context.State.Flip ??= new FlipJournal();
        var location = context.Options.Direction.Location();
        await DataLocationFlip
            .FlipAsync(
                context.Resolved,
                location,
                context.State.Flip,
                context.State.RunId.Substring(0, 8),
                context.Save,
                context.Observer,
                cancellationToken
            )
            .ConfigureAwait(false);
        outcome.Summary =
            $"Both selectors now say '{location}' (were: file '{context.State.Flip.PreviousActive}', system_config '{context.State.Flip.PreviousLocation}').";
        outcome.Set("SelectorsWritten", 2).Set("DataLocation", location).Set("Backup", context.State.Flip.BackupPath ?? "(unchanged file)");
    }
}
