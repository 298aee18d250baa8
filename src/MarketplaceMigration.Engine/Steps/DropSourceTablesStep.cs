using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.State;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 9: only with -DropSource, and only after this run verified the copy (step 5) and the cluster
/// answered from the new location (step 8): empty the whole source set in one session with
/// foreign-key checks off (TRUNCATE does not cascade: the whole set, or orphans remain).
/// </summary>
public sealed class DropSourceTablesStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "drop_source_tables";

    /// <inheritdoc />
    public int Number => 9;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => true;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        context.Options.DropSource
            ? $"empty the {context.Profile.Tables.Count} data-plane tables on {context.Source.Endpoint} (the source)"
            : "nothing (no -DropSource)";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var verified = context.State.Steps.Any(s =>
            s.Name is IntegrityCheckStep.StepName or FinalSyncStep.StepName && s.Status == StepStatus.Succeeded
        );
        if (!verified || context.State.Step(SmokeTestStep.StepName).Status != StepStatus.Succeeded)
        {
            throw new MigrationException(
                ErrorIds.DropSourceNotAllowed,
                MigrationErrorKind.PreflightFailed,
                context.Source.Endpoint.ToString(),
                "The source tables are emptied only after this run verified the copy (integrity_check) and the cluster answered "
                    + "from the new location (smoke_test).",
                "let the run pass both steps first."
            );
        }

        if (
            !context.Confirm(
                context.Source.Endpoint.ToString(),
                $"Empty the {context.Profile.Tables.Count} data-plane tables of the source (drop_source_tables)"
            )
        )
        {
            outcome.Summary = "Declined: the source keeps its rows.";
            outcome.Set("TablesEmptied", 0);
            return;
        }

        await TableSet
            .EmptyAsync(
                context.Source,
                context.Profile.Tables,
                context.Profile.LockWaitSeconds,
                "the data lives on the target now and the source is partly emptied: fix the grant (DROP for TRUNCATE) or end the "
                    + "session holding the lock, then rerun: the step empties the rest.",
                context.Observer,
                cancellationToken
            )
            .ConfigureAwait(false);
        outcome.Summary = $"Emptied {context.Profile.Tables.Count} tables on the source {context.Source.Endpoint}.";
        outcome.Set("TablesEmptied", context.Profile.Tables.Count);
    }
}
