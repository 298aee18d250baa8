using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;
using MarketplaceMigration.Engine.Schema;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 1: both users must hold the privileges the run needs (<see cref="PrivilegeCheck"/>), the two ends must declare the same
/// data-plane tables (drift aborts; collation warns,
/// except on unique keys), every table must be copyable (a primary key, supported types), and the
/// target must accept the bulk load. Nothing has changed yet when this fails.
/// </summary>
public sealed class SchemaCheckStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "schema_check";

    /// <inheritdoc />
    public int Number => 1;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => false;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"compare the {context.Profile.Tables.Count} data-plane tables on {context.Resolved.Shopware.Endpoint} and "
        + $"{context.Resolved.Cluster.Endpoint}; check that {context.Target.Endpoint} accepts LOAD DATA LOCAL";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var needs = PrivilegeCheck.ForMove(
            context.Options.Direction.Source(),
            context.Profile.Tables,
            context.Options.DropSource,
            context.Options.Online
        );
        foreach (var role in new[] { EndpointRole.Shopware, EndpointRole.Cluster })
        {
            await PrivilegeCheck
                .CheckAsync(
                    context.Resolved.For(role),
                    needs.Where(n => n.Role == role).Select(n => n.Need),
                    context.Observer,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }

        var differences = await CompareAsync(context.Resolved, context.Observer, cancellationToken).ConfigureAwait(false);
        var errors = differences.Where(d => d.Severity == DifferenceSeverity.Error).ToList();
        foreach (var warning in differences.Where(d => d.Severity == DifferenceSeverity.Warning))
            context.Observer.Warning(warning.Message);
        if (errors.Count > 0)
        {
            throw new MigrationException(
                ErrorIds.SchemaDrift,
                MigrationErrorKind.PreflightFailed,
                errors[0].Table,
                $"The data-plane schemas of the two ends differ in {errors.Count} way(s) that would make the copy wrong: "
                    + string.Join(" ", errors.Take(5).Select(e => e.Message))
                    + (errors.Count > 5 ? $" ... and {errors.Count - 5} more." : string.Empty),
                "run Test-SchemaParity to list every difference, then bring both ends to the same schema with schema migrations: "
                    + "Get-SchemaMigration shows what is pending, Invoke-SchemaMigration runs it, New-SchemaMigration -FromParity "
                    + "-Endpoint Cluster writes one from these differences for review; then rerun."
            );
        }

        // Every table must be copyable before anything changes.
        await LayoutReader.ReadAsync(context.Source, context.Profile.Tables, cancellationToken).ConfigureAwait(false);
        await TargetCapabilities.CheckLocalInfileAsync(context.Target, cancellationToken).ConfigureAwait(false);
        await CheckBeforeTheGateAsync(context, cancellationToken).ConfigureAwait(false);
        outcome.Summary = $"{context.Profile.Tables.Count} tables match on both ends ({differences.Count} warning(s)).";
        outcome.Set("TablesCompared", context.Profile.Tables.Count).Set("Warnings", differences.Count);
    }

    /// <summary>
    /// What would otherwise fail behind the gate: every end the run writes to takes writes, and the
    /// restart and smoke commands can start (steps 7 and 8 run them after the copy and the flip).
    /// </summary>
    private static async Task CheckBeforeTheGateAsync(RunContext context, CancellationToken cancellationToken)
    {
        var profile = context.Profile;
        // A Galera end: every node answers, in the primary component and Synced (a node behind or cut off is found now, not under the gate).
        foreach (var role in new[] { EndpointRole.Shopware, EndpointRole.Cluster })
        {
            var topology = await context.TopologyAsync(role, cancellationToken).ConfigureAwait(false);
            if (!topology.IsGalera)
                continue;
            await topology.RequireHealthyAsync("the move", cancellationToken).ConfigureAwait(false);
            context.Observer.Verbose(
                $"The {role} database is a Galera cluster: {string.Join(", ", topology.Nodes.Select(n => $"{n.Endpoint.Host}:{n.Endpoint.Port}"))}, "
                    + $"each Synced in the primary component; the move goes through {topology.Endpoint.Endpoint} and verifies every node."
            );
        }

        await TargetCapabilities.CheckWritableAsync(context.Target, "the copy's rows", cancellationToken).ConfigureAwait(false);
        if (context.Options.Direction.Target() != EndpointRole.Shopware)
        {
            await TargetCapabilities
                .CheckWritableAsync(context.Resolved.Shopware, "the maintenance gate and the dataLocation row", cancellationToken)
                .ConfigureAwait(false);
        }
        else if (context.Options.DropSource || context.Options.Online)
        {
            await TargetCapabilities
                .CheckWritableAsync(
                    context.Source,
                    context.Options.Online ? "the change capture (triggers and changelogs)" : "the emptied source tables (-DropSource)",
                    cancellationToken
                )
                .ConfigureAwait(false);
        }

        var restart = CommandLookup.WhyNot(profile.ClusterRestartCommand, profile.ShopwareRoot);
        if (restart != null)
        {
            throw new MigrationException(
                ErrorIds.RestartCommandFailed,
                MigrationErrorKind.PreflightFailed,
                profile.ClusterRestartCommand,
                $"The restart command '{profile.ClusterRestartCommand}' cannot start: {restart}. Step 7 runs it after the copy "
                    + "and the flip; nothing was changed.",
                "set clusterRestartCommand (or restartCommand in the profile) to a command that exists on this machine, e.g. "
                    + "'sudo systemctl restart flyokai-cluster', then rerun."
            );
        }

        if (profile.SmokeCommand is null)
        {
            throw new MigrationException(
                ErrorIds.SmokeTestFailed,
                MigrationErrorKind.PreflightFailed,
                profile.ShopwareRoot,
                $"No ping command is known: {profile.ShopwareRoot} has no bin/console and the profile sets no smokeCommand. Step "
                    + "8 needs one to prove the cluster answers; nothing was changed.",
                "set smokeCommand in the profile to a command that pings the marketplace through the cluster (e.g. 'php "
                    + "bin/console marketplace:ping'), then rerun."
            );
        }

        var smoke = CommandLookup.WhyNot(profile.SmokeCommand, profile.ShopwareRoot);
        if (smoke != null)
        {
            throw new MigrationException(
                ErrorIds.SmokeTestFailed,
                MigrationErrorKind.PreflightFailed,
                profile.SmokeCommand,
                $"The ping command '{profile.SmokeCommand}' cannot start: {smoke}. Step 8 runs it after the restart; nothing was changed.",
                "install what it needs (php for bin/console) or set smokeCommand in the profile to a command that exists on this machine, then rerun."
            );
        }
    }

    /// <summary>
    /// Every difference between the data-plane tables of the two ends, in table-list order (both read at once):
    /// step 1's comparison, and Test-SchemaParity's whole work.
    /// </summary>
    public static async Task<IReadOnlyList<SchemaDifference>> CompareAsync(
        ResolvedProfile resolved,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        observer ??= NullRunObserver.Instance;
        var tables = resolved.Profile.Tables;
        var shopwareTask = ReadAsync(resolved.Shopware, tables, observer, cancellationToken);
        var clusterTask = ReadAsync(resolved.Cluster, tables, observer, cancellationToken);
        var shopware = await shopwareTask.ConfigureAwait(false);
        var cluster = await clusterTask.ConfigureAwait(false);
        var differences = SchemaComparer.Compare(tables, shopware, cluster);
        observer.Verbose(
            $"Compared {tables.Count} table(s): {differences.Count(d => d.Severity == DifferenceSeverity.Error)} error(s), "
                + $"{differences.Count(d => d.Severity == DifferenceSeverity.Warning)} warning(s)."
        );
        return differences;
    }

    private static async Task<IReadOnlyDictionary<string, TableDefinition>> ReadAsync(
        ConnectionTarget target,
        IReadOnlyList<string> tables,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        using var connection = await ConnectionFactory.OpenAsync(target, cancellationToken).ConfigureAwait(false);
        var snapshot = await SchemaReader.ReadAsync(connection, tables, cancellationToken).ConfigureAwait(false);
        observer.Verbose(
            $"Read the schema of {snapshot.Tables.Count} of {tables.Count} table(s) on the {target.Endpoint.Role} endpoint "
                + $"{target.Endpoint} ({snapshot.Flavor})."
        );
        return SchemaNormalizer.Normalize(snapshot);
    }
}
