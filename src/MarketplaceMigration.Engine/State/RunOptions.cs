using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Verify;

namespace MarketplaceMigration.Engine.State;

/// <summary>What the operator asked of a run. Stored in the state file; a resumed run keeps the options it started with.</summary>
public sealed record RunOptions
{
    /// <summary>ToCluster or ToShopware.</summary>
    public MigrationDirection Direction { get; init; }

    /// <summary>Empty the source set after a verified, smoke-tested move (step 9).</summary>
    public bool DropSource { get; init; }

    /// <summary>Full or Sample verification in step 5.</summary>
    public VerificationMode Verification { get; init; } = VerificationMode.Full;

    /// <summary>Also write a dump the mysql client can load (step 3); null for none.</summary>
    public string? DumpPath { get; init; }

    /// <summary>Rows per copy chunk when fixed by the profile; null: adaptive (about two seconds per chunk, see ChunkSizer).</summary>
    public int? ChunkRows { get; init; }

    /// <summary>Tables copied at the same time (each with its own reading and writing session).</summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>
    /// Online: copy while the source keeps serving writes (changes captured by triggers, replayed onto
    /// the target, verified while live); the gate is set only for the final replay, the verification of
    /// what changed since, and the cutover (docs/online.md).
    /// </summary>
    public bool Online { get; init; }

    /// <summary>Online only: after the copy, keep replaying and re-verifying until Approve-DataMigrationCutover says go.</summary>
    public bool PauseBeforeCutover { get; init; }

    /// <summary>Rows per verification range.</summary>
    public int VerifyChunkRows { get; init; } = 100_000;

    /// <summary>Tables at a time unless the profile says otherwise (<see cref="CopySettings.DefaultParallelism"/>).</summary>
    public static int DefaultParallelism => CopySettings.DefaultParallelism;
}
