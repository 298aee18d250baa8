using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.Schema;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 1: both users must hold the privileges the run needs (<see cref="PrivilegeCheck"/>), the two ends must declare the same data-plane tables (drift aborts; collation warns,
/// except on unique keys), every table must be copyable (a primary key, supported types), and the
/// target must accept the bulk load. Nothing has changed yet when this fails.
/// </summary>
public sealed class SchemaCheckStep : IMigrationStep
{
    /// <inheritdoc />
    public int Number => 1;

    /// <inheritdoc />
    public string Name => "schema_check";

    /// <inheritdoc />
    public MigrationPhase Phase => MigrationPhase.Preflight;

    /// <inheritdoc />
    public string Describe(RunContext context)
        => $"compare the {context.Profile.Tables.Count} data-plane tables on {context.Resolved.Shopware.Endpoint} and {context.Resolved.Cluster.Endpoint}; check that {context.Target.Endpoint} accepts LOAD DATA LOCAL";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var needs = PrivilegeCheck.ForMove(context.Options.Direction.Source(), context.Profile.Tables, context.Options.DropSource, context.Options.Online);
        foreach (var role in new[] { EndpointRole.Shopware, EndpointRole.Cluster })
        {
            await PrivilegeCheck.CheckAsync(context.Resolved.For(role), needs.Where(n => n.Role == role).Select(n => n.Need), context.Observer, cancellationToken).ConfigureAwait(false);
        }

        var differences = await SchemaParity.CompareAsync(context.Resolved, context.Observer, cancellationToken).ConfigureAwait(false);
        var errors = differences.Where(d => d.Severity == DifferenceSeverity.Error).ToList();
        foreach (var warning in differences.Where(d => d.Severity == DifferenceSeverity.Warning)) context.Observer.Warning(warning.Message);
        if (errors.Count > 0)
        {
            throw new MigrationException(ErrorIds.SchemaDrift, MigrationErrorKind.PreflightFailed, errors[0].Table,
                $"The data-plane schemas of the two ends differ in {errors.Count} way(s) that would make the copy wrong: "
                + string.Join(" ", errors.Take(5).Select(e => e.Message)) + (errors.Count > 5 ? $" ... and {errors.Count - 5} more." : string.Empty),
                "run Test-SchemaParity to list every difference, then bring both ends to the same schema with schema migrations: Get-SchemaMigration shows what is pending, Invoke-SchemaMigration runs it, New-SchemaMigration -FromParity -Endpoint Cluster writes one from these differences for review; then rerun.");
        }

        // Every table must be copyable before anything changes.
        await LayoutReader.ReadAsync(context.Source, context.Profile.Tables, cancellationToken).ConfigureAwait(false);
        await TargetCapabilities.CheckLocalInfileAsync(context.Target, cancellationToken).ConfigureAwait(false);
        outcome.Summary = $"{context.Profile.Tables.Count} tables match on both ends ({differences.Count} warning(s)).";
        outcome.Set("TablesCompared", context.Profile.Tables.Count).Set("Warnings", differences.Count);
    }
}
