using System;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>How the copy runs: chunk size, tables at a time, deferred indexes and the throttle (profile settings).</summary>
public sealed record CopySettings
{
    /// <summary>Rows per chunk when fixed; null: adaptive (about two seconds per chunk, see <see cref="ChunkSizer"/>).</summary>
    public int? ChunkRows { get; init; }

    /// <summary>Tables copied at the same time, each with its own reading and writing session.</summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>Drop each target table's secondary indexes just before its load and rebuild them when its copy completes.</summary>
    public bool DeferIndexes { get; init; } = true;

    /// <summary>
    /// With <see cref="DeferIndexes"/>, a table of fewer rows than this keeps its indexes during its load: two DDL
    /// statements (the drop and the rebuild) cost a small table more than its indexes cost its load
    /// (<see cref="DeferredIndexes.Worthwhile"/>).
    /// </summary>
    public long DeferIndexesMinRows { get; init; } = DefaultDeferIndexesMinRows;

    /// <summary>The default of <see cref="DeferIndexesMinRows"/>: 10,000 rows (bench/RESULTS.md).</summary>
    public const long DefaultDeferIndexesMinRows = 10_000;

    /// <summary>The rate limit and the pause on a source status variable.</summary>
    public CopyThrottle Throttle { get; init; } = CopyThrottle.None;

    /// <summary>
    /// The source takes writes while it is read (an online run, whose changelog holds every row changed
    /// since before the copy began): chunks load with REPLACE under unique checks, and a resume trusts the
    /// rows up to the checkpoint without proving them (their changes are in the changelog).
    /// </summary>
    public bool Live { get; init; }

    /// <summary>How long a chunk waits for another session's row or table lock before the server rolls it back (1205; it is tried again).</summary>
    public int LockWaitSeconds { get; init; } = 60;

    /// <summary>How long one chunk's statements may run before the link counts as stalled (then the chunk is tried again).</summary>
    public int StatementSeconds { get; init; } = 600;

    /// <summary>
    /// The most rows one chunk may hold (a Galera target's <c>wsrep_max_ws_rows</c>, halved); null: no limit beyond the sizer's.
    /// </summary>
    public int? MaxChunkRows { get; init; }

    /// <summary>
    /// The most bytes one chunk may hold, estimated from each table's average row (a Galera target replicates a chunk as one
    /// write-set, held in memory on every node); null: no limit.
    /// </summary>
    public long? MaxChunkBytes { get; init; }

    /// <summary>Waits while a Galera target's replication is paused for a slow node (flow control); null: a standalone target.</summary>
    public Galera.FlowControlGate? FlowControl { get; init; }

    /// <summary>What progress calls the copy (the step's name, or the single-step cmdlet's).</summary>
    public string Activity { get; init; } = "copy";

    /// <summary>Two tables per core, at least two and at most four: while one session parses its chunk the others load (bench/RESULTS.md).</summary>
    public static int DefaultParallelism => Math.Max(2, Math.Min(4, Environment.ProcessorCount * 2));
}
