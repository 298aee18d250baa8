using System;
using System.Collections.Generic;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>How a verification runs: its mode, range size, tables at a time, what progress calls it, and where a table that cannot be compared goes.</summary>
public sealed record VerifySettings
{
    /// <summary>Every row (Full) or the seed's 8 random keys per table (Sample).</summary>
    public VerificationMode Mode { get; init; } = VerificationMode.Full;

    /// <summary>Rows per range.</summary>
    public int ChunkRows { get; init; } = 100_000;

    /// <summary>Tables verified at the same time, each with its own pair of sessions.</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>How long one range's statements may run before the link counts as stalled (then the range is tried again).</summary>
    public int StatementSeconds { get; init; } = 600;

    /// <summary>
    /// The target is a Galera node: its reads wait for every write-set the cluster committed before them
    /// (<c>wsrep_sync_wait=1</c>), so a node that has not applied the copy yet is not taken for one that differs.
    /// </summary>
    public bool SyncWaitTarget { get; init; }

    /// <summary>
    /// While live (an online run's catch_up sets it to the run's throttle): waits until a number of rows more may be read
    /// from the live source (given the source's session, the rows, where to tell why it waits). Every range
    /// <see cref="DataVerifier.VerifyLiveAsync"/> and every batch of rows <see cref="DataVerifier.VerifyKeysAsync"/> read
    /// from the source is handed to it with its row count. <see cref="DataVerifier.VerifyAsync"/> and
    /// <see cref="DataVerifier.VerifyRangesAsync"/> (under the gate, or a copy at rest) do not wait. Null: none.
    /// </summary>
    public Func<
        MySqlConnector.MySqlConnection,
        long,
        Action<string>,
        System.Threading.CancellationToken,
        System.Threading.Tasks.Task
    >? Pace { get; init; }

    /// <summary>
    /// The source's row count of each table, already taken while the source cannot change (under the gate): a verification
    /// by key (<see cref="DataVerifier.VerifyKeysAsync"/>) against another target, a Galera target's other node, uses it instead
    /// of counting the source again. Null: every count is taken.
    /// </summary>
    public IReadOnlyDictionary<string, long>? SourceCounts { get; init; }

    /// <summary>What progress calls the verification (the step's name, or the single-step cmdlet's).</summary>
    public string Activity { get; init; } = "verification";

    /// <summary>
    /// Where a table that cannot be compared (missing on one end, other columns) is reported, the others
    /// being verified: one failure per item, as a cmdlet over many items reports it. Null: such a table
    /// fails the whole verification (a run's step).
    /// </summary>
    public Action<MigrationException>? TableFailed { get; init; }

    /// <summary>These settings with no <see cref="TableFailed"/>: a table that cannot be compared stops the verification.</summary>
    internal VerifySettings Strict => this with { TableFailed = null };
}
