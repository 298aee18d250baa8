using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 3: take a consistent read of the source data plane. With the gate set and drained the
/// source is still; this step counts every table in one snapshot and records each table's
/// AUTO_INCREMENT, which plans step 4. The rows stream straight from the source into the target in
/// step 4; with -DumpPath they are also written to a file the mysql client can load.
/// Copy-DataPlane runs this body and import_tables' (<see cref="ImportTablesStep.CopyAloneAsync"/>).
/// </summary>
public sealed class DumpTablesStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "dump_tables";

    /// <inheritdoc />
    public int Number => 3;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => true;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"read {context.Profile.Tables.Count} tables from {context.Source.Endpoint} in one snapshot (row counts, AUTO_INCREMENT)"
        + (context.Options.DumpPath != null ? $" and write a dump to {context.Options.DumpPath}" : string.Empty);

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var layouts = await LayoutReader.ReadAsync(context.Source, context.Profile.Tables, cancellationToken).ConfigureAwait(false);
        context.State.Copy.Clear();
        context.State.Copy.AddRange(await CopyPlan.ReadAsync(context.Source, layouts, cancellationToken).ConfigureAwait(false));

        if (context.Options.DumpPath != null)
        {
            var written = await DumpWriter
                .WriteAsync(context.Source, layouts, context.Options.DumpPath, context.Observer, cancellationToken)
                .ConfigureAwait(false);
            outcome.Set("DumpPath", context.Options.DumpPath).Set("DumpBytes", written);
        }

        var total = context.State.Copy.Sum(c => c.RowsPlanned);
        outcome.Summary =
            $"{total} row(s) in {layouts.Count} tables read in one snapshot"
            + (context.Options.DumpPath != null ? $", dump written to {context.Options.DumpPath}." : ".");
        outcome.Set("Tables", layouts.Count).Set("RowsPlanned", total);
    }
}
