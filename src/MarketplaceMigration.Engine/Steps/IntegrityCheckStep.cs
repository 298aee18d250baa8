using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Galera;
using MarketplaceMigration.Engine.Verify;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 5: the target must hold exactly the source's rows: counts and a checksum of every row per
/// key range on both servers (Full), or the seed's sample of 8 keys per table (Sample). On a
/// mismatch the step names the rows, and the tables that differ are copied again on the rerun.
/// Alone: Test-DataIntegrity (<see cref="AloneAsync"/>), and Set-DataLocation's check.
/// </summary>
public sealed class IntegrityCheckStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "integrity_check";

    /// <inheritdoc />
    public int Number => 5;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => true;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"compare every table on {context.Source.Endpoint} and {context.Target.Endpoint} ({context.Options.Verification}: "
        + (
            context.Options.Verification == VerificationMode.Full
                ? "counts and a checksum of every row"
                : "counts and 8 random rows per table"
        )
        + ")";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var results = await VerifyAsync(context, null, cancellationToken).ConfigureAwait(false);
        var bad = results.Where(r => !r.Equal).ToList();
        outcome
            .Set("TablesVerified", results.Count)
            .Set("RowsCompared", results.Sum(r => r.SourceRows))
            .Set("Mode", context.Options.Verification);
        if (bad.Count > 0)
        {
            // The rerun copies these tables again (the runner resets their checkpoints).
            foreach (var table in bad)
                context.State.CopyOf(table.Table)?.Reset();
            var counts = bad.Any(b => b.SourceRows != b.TargetRows);
            throw new MigrationException(
                counts ? ErrorIds.RowCountMismatch : ErrorIds.ChecksumMismatch,
                MigrationErrorKind.VerificationFailed,
                bad[0].Table,
                $"{bad.Count} table(s) differ between {context.Source.Endpoint} and {context.Target.Endpoint}: "
                    + string.Join("; ", bad.Take(5).Select(Describe))
                    + ".",
                "investigate source churn (writes that bypass the marketplace backend are not gated) or target-side changes (triggers), "
                    + "then rerun: the differing tables are copied again and verified."
            );
        }

        outcome.Summary =
            $"{results.Count} tables equal on both ends ({results.Sum(r => r.SourceRows)} rows, {context.Options.Verification}).";
    }

    /// <summary>
    /// Test-DataIntegrity: the step's body with no run, from the end the data lives in (or <paramref name="reference"/>)
    /// to the other; a table that cannot be compared goes to <paramref name="tableFailed"/> and the others are verified.
    /// </summary>
    public static async Task<IReadOnlyList<TableVerification>> AloneAsync(
        ResolvedProfile resolved,
        EndpointRole? reference,
        VerificationMode mode,
        IRunObserver observer,
        Action<MigrationException>? tableFailed,
        CancellationToken cancellationToken
    )
    {
        var direction = await LiveEnd.AwayAsync(resolved, reference, cancellationToken).ConfigureAwait(false);
        var context = RunContext.Alone(resolved, direction, "Test-DataIntegrity", observer);
        return await VerifyAsync(context, mode, tableFailed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Compare-DataPlane: every differing row (up to <paramref name="maxPerTable"/> per table) between the end
    /// the data lives in (or <paramref name="reference"/>) and the other, by key, with the step's range comparison.
    /// </summary>
    public static async Task<IReadOnlyList<RowDifference>> DifferingRowsAsync(
        ResolvedProfile resolved,
        EndpointRole? reference,
        int maxPerTable,
        IRunObserver observer,
        Action<MigrationException>? tableFailed,
        CancellationToken cancellationToken
    )
    {
        var direction = await LiveEnd.AwayAsync(resolved, reference, cancellationToken).ConfigureAwait(false);
        var context = RunContext.Alone(resolved, direction, "Compare-DataPlane", observer);
        return await DataVerifier
            .CompareAsync(
                context.Source,
                context.Target,
                context.Profile.Tables,
                maxPerTable,
                context.Verification(StepName) with
                {
                    TableFailed = tableFailed,
                },
                context.Observer,
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>Set-DataLocation's check: every row of both ends, with <paramref name="toward"/>'s end as the target.</summary>
    internal static Task<IReadOnlyList<TableVerification>> BothEndsAsync(
        ResolvedProfile resolved,
        EndpointRole toward,
        IRunObserver observer,
        CancellationToken cancellationToken
    ) =>
        VerifyAsync(
            RunContext.Alone(resolved, DataPlane.DataLocations.Toward(toward), "Set-DataLocation", observer),
            VerificationMode.Full,
            null,
            cancellationToken
        );

    private static Task<IReadOnlyList<TableVerification>> VerifyAsync(
        RunContext context,
        Action<MigrationException>? tableFailed,
        CancellationToken cancellationToken
    ) => VerifyAsync(context, context.Options.Verification, tableFailed, cancellationToken);

    /// <summary>
    /// The body: every table of the context's source and target compared. A Galera target is verified on every node, each
    /// read after the write-sets before it (wsrep_sync_wait): the node written through first (a difference there is the
    /// copy's: the step copies those tables again), then each other node (a difference there is the cluster's: it names the node).
    /// </summary>
    private static async Task<IReadOnlyList<TableVerification>> VerifyAsync(
        RunContext context,
        VerificationMode mode,
        Action<MigrationException>? tableFailed,
        CancellationToken cancellationToken
    )
    {
        var settings = context.Verification(StepName) with { Mode = mode, TableFailed = tableFailed };
        var (topology, others) = await OtherNodesAsync(context, cancellationToken).ConfigureAwait(false);
        var written = await DataVerifier
            .VerifyAsync(
                context.Source,
                context.Target,
                context.Profile.Tables,
                settings with
                {
                    SyncWaitTarget = topology.IsGalera,
                },
                context.Observer,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (written.Any(r => !r.Equal))
            return written;
        foreach (var node in others)
        {
            await VerifyOtherNodeAsync(
                    topology,
                    node,
                    context.Target,
                    () =>
                        DataVerifier.VerifyAsync(
                            context.Source,
                            node,
                            context.Profile.Tables,
                            settings with
                            {
                                SyncWaitTarget = true,
                            },
                            context.Observer,
                            cancellationToken
                        ),
                    gateSet: true,
                    cancellationToken
                )
                .ConfigureAwait(false);
            context.Observer.Verbose($"Verified every table on the Galera node {node.Endpoint.Host}:{node.Endpoint.Port} too: equal.");
        }

        return written;
    }

    /// <summary>
    /// A Galera target's nodes other than the one written through (none for one server), after checking that every node is
    /// Synced in the primary component.
    /// </summary>
    internal static async Task<(GaleraTopology Topology, IReadOnlyList<ConnectionTarget> Others)> OtherNodesAsync(
        RunContext context,
        CancellationToken cancellationToken
    )
    {
        var topology = await context.TopologyAsync(context.Options.Direction.Target(), cancellationToken).ConfigureAwait(false);
        if (!topology.IsGalera)
            return (topology, Array.Empty<ConnectionTarget>());
        await topology.RequireHealthyAsync("the verification", cancellationToken).ConfigureAwait(false);
        return (topology, topology.Nodes.Where(n => n != context.Target).ToList());
    }

    /// <summary>
    /// Verifies a node other than the one written through with <paramref name="verify"/>: a node that cannot be read
    /// (<see cref="ErrorIds.GaleraNodeUnreachable"/>) or holds other rows than the written node (<see cref="ErrorIds.GaleraNodesDiffer"/>)
    /// names itself. A lost connection is the node's only when the node does not answer a probe afterwards: otherwise the other
    /// end read went away (catch_up reads the written node, the others the source), and the run names that server.
    /// </summary>
    internal static async Task VerifyOtherNodeAsync(
        GaleraTopology topology,
        ConnectionTarget node,
        ConnectionTarget written,
        Func<Task<IReadOnlyList<TableVerification>>> verify,
        bool gateSet,
        CancellationToken cancellationToken
    )
    {
        IReadOnlyList<TableVerification> results;
        try
        {
            results = await verify().ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionLoss.Is(ex) || ex is MigrationException { ErrorId: ErrorIds.ServerUnreachable })
        {
            if (!await topology.AnswersAsync(node, cancellationToken).ConfigureAwait(false))
                throw topology.Unreachable(node, ex, gateSet);
            throw; // the node answers: the other end went away (the run names which) or the link dropped for a moment
        }

        var bad = results.Where(r => !r.Equal).ToList();
        if (bad.Count > 0)
            throw NodeDiffers(node, written, bad, gateSet);
    }

    /// <summary>The error for a Galera node that holds other rows than the node written through (which equals the source).</summary>
    private static MigrationException NodeDiffers(
        ConnectionTarget node,
        ConnectionTarget written,
        List<TableVerification> bad,
        bool gateSet
    ) =>
        new(
            ErrorIds.GaleraNodesDiffer,
            MigrationErrorKind.VerificationFailed,
            $"{node.Endpoint.Host}:{node.Endpoint.Port}",
            $"The Galera node {node.Endpoint.Host}:{node.Endpoint.Port} holds other rows than the node written through ({written.Endpoint}), "
                + $"which equals the source: {string.Join("; ", bad.Take(5).Select(Describe))}. The cluster's nodes disagree: that is not the "
                + "copy's doing (a write with wsrep_on=OFF, a node that applied a write-set differently).",
            "rebuild that node from the others (stop it, remove its grastate.dat, start it: it rejoins by a full SST), then rerun: the "
                + "verification runs again on every node"
                + (gateSet ? "; the gate stays set meanwhile." : " before the gate is set.")
        );

    private static string Describe(TableVerification b) =>
        $"{b.Table}: {b.SourceRows} source row(s), {b.TargetRows} target row(s)"
        + (
            b.Differences.Count > 0 ? ", rows " + string.Join(", ", b.Differences.Take(3).Select(d => $"({d.Key}) {d.Kind}")) : string.Empty
        );
}
