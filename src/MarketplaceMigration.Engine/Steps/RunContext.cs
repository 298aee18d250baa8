using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Verify;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Everything a step's body works with: the resolved settings, the state it records its progress in
/// and where that is saved, the observer. A run's context saves to the state file after every step and
/// chunk; a single-step cmdlet's context (<see cref="Alone"/>) keeps its state in memory, so the same
/// body runs with no run around it.
/// </summary>
public sealed class RunContext
{
    private readonly Action _save;
    private DeferredIndexRecord? _aloneIndexes;
    private string? _label;

    /// <summary>Creates the context of a run, saved to <paramref name="store"/>.</summary>
    public RunContext(
        ResolvedProfile resolved,
        MigrationState state,
        StateStore store,
        IRunObserver observer,
        Func<string, string, bool> confirm,
        Func<CancellationToken, Task>? cutoverHook = null
    )
        : this(resolved, state, (store ?? throw new ArgumentNullException(nameof(store))).Path, observer, confirm, cutoverHook)
    {
        _save = () => store.Save(State);
    }

    private RunContext(
        ResolvedProfile resolved,
        MigrationState state,
        string statePath,
        IRunObserver observer,
        Func<string, string, bool> confirm,
        Func<CancellationToken, Task>? cutoverHook
    )
    {
        Resolved = resolved ?? throw new ArgumentNullException(nameof(resolved));
        State = state ?? throw new ArgumentNullException(nameof(state));
        StatePath = statePath;
        Observer = observer ?? NullRunObserver.Instance;
        Confirm = confirm ?? ((_, _) => true);
        CutoverHook = cutoverHook;
        _save = () => { };
    }

    /// <summary>
    /// The context of one step run on its own (a single-step cmdlet, named by <paramref name="label"/> in
    /// progress): the run options a run would take
    /// from the profile, its state in memory (nothing is saved), and, for the copy, the secondary indexes
    /// it defers recorded in <paramref name="deferredIndexes"/> instead of a state file.
    /// </summary>
    public static RunContext Alone(
        ResolvedProfile resolved,
        MigrationDirection direction,
        string label,
        IRunObserver observer,
        DeferredIndexRecord? deferredIndexes = null,
        string? dumpPath = null
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        var state = new MigrationState
        {
            RunId = "single-step",
            Options = new RunOptions
            {
                Direction = direction,
                ChunkRows = resolved.Copy.ChunkRows,
                Parallelism = resolved.Copy.Parallelism,
                DumpPath = dumpPath,
            },
            Source = resolved.For(direction.Source()).Endpoint.ToString(),
            Target = resolved.For(direction.Target()).Endpoint.ToString(),
            Tables = resolved.Profile.Tables.ToList(),
        };
        return new RunContext(resolved, state, "(no run: a single step)", observer, (_, _) => true, null)
        {
            _aloneIndexes = deferredIndexes,
            _label = label,
        };
    }

    /// <summary>The resolved settings (with the connection targets).</summary>
    public ResolvedProfile Resolved { get; }

    /// <summary>The profile view.</summary>
    public MigrationProfile Profile => Resolved.Profile;

    /// <summary>The run's state (in memory only for a single step).</summary>
    public MigrationState State { get; }

    /// <summary>Where the state is saved, for messages.</summary>
    public string StatePath { get; }

    /// <summary>Whether this is a single step with no run around it.</summary>
    public bool IsAlone => _label != null;

    /// <summary>Where progress and messages go.</summary>
    public IRunObserver Observer { get; }

    /// <summary>Asks before a destructive action (target text, action text); true to go on.</summary>
    public Func<string, string, bool> Confirm { get; }

    /// <summary>Runs under the gate after an online run's final verification and before its flip (null: none); throwing stops the run there.</summary>
    public Func<CancellationToken, Task>? CutoverHook { get; }

    /// <summary>The run's options.</summary>
    public RunOptions Options => State.Options;

    /// <summary>The endpoint read from.</summary>
    public ConnectionTarget Source => Resolved.For(Options.Direction.Source());

    /// <summary>The endpoint written to.</summary>
    public ConnectionTarget Target => Resolved.For(Options.Direction.Target());

    /// <summary>How this run verifies (range size, tables at a time) under <paramref name="activity"/>'s name in progress.</summary>
    public VerifySettings Verification(string activity) =>
        new()
        {
            Mode = Options.Verification,
            ChunkRows = Options.VerifyChunkRows,
            Parallelism = Options.Parallelism,
            Activity = _label ?? activity,
            StatementSeconds = Profile.StatementTimeoutSeconds,
        };

    private readonly System.Collections.Generic.Dictionary<EndpointRole, Galera.GaleraTopology> _topologies = new();

    /// <summary>The Galera topology of one end (read once per context; a standalone server is a topology of one).</summary>
    public async Task<Galera.GaleraTopology> TopologyAsync(EndpointRole role, CancellationToken cancellationToken)
    {
        if (_topologies.TryGetValue(role, out var known))
            return known;
        var topology = await Resolved.TopologyAsync(role, cancellationToken).ConfigureAwait(false);
        _topologies[role] = topology;
        return topology;
    }

    /// <summary>
    /// How this run copies into its target: <see cref="Copying"/>, and into a Galera target chunks within its write-set limits
    /// (a quarter of <c>wsrep_max_ws_size</c>, at most 64 MiB; half of <c>wsrep_max_ws_rows</c>) and a flow-control gate over
    /// every node (the caller disposes it).
    /// </summary>
    public async Task<CopySettings> CopyingAsync(string activity, CancellationToken cancellationToken)
    {
        var settings = Copying(activity);
        var topology = await TopologyAsync(Options.Direction.Target(), cancellationToken).ConfigureAwait(false);
        if (!topology.IsGalera)
            return settings;
        var bytes = topology.MaxWriteSetBytes > 0 ? Math.Min(64L << 20, topology.MaxWriteSetBytes / 4) : 64L << 20;
        Observer.Verbose(
            $"The target is a Galera cluster of {topology.Nodes.Count} node(s), written through {Target.Endpoint}: chunks of at most "
                + $"{bytes >> 20} MiB{(topology.MaxWriteSetRows > 0 ? $" and {topology.MaxWriteSetRows / 2} rows" : string.Empty)}, "
                + "held back while flow control pauses replication."
        );
        return settings with
        {
            MaxChunkBytes = bytes,
            MaxChunkRows = topology.MaxWriteSetRows > 0 ? (int)Math.Max(1, Math.Min(int.MaxValue, topology.MaxWriteSetRows / 2)) : null,
            FlowControl = new Galera.FlowControlGate(topology.Nodes),
        };
    }

    /// <summary>How this run copies (the profile's settings, with the run's chunk size and tables at a time) under
    /// <paramref name="activity"/>'s name.</summary>
    public CopySettings Copying(string activity) =>
        Resolved.Copy with
        {
            ChunkRows = Options.ChunkRows,
            Parallelism = Options.Parallelism,
            Activity = _label ?? activity,
        };

    /// <summary>
    /// Where the copy records the secondary indexes it drops: a run's state file (taking over what a
    /// stopped Copy-DataPlane into the same target left), or a single step's own record.
    /// </summary>
    public DeferredIndexRecord DeferredIndexes()
    {
        if (_aloneIndexes != null)
            return _aloneIndexes;
        CopyIndexRecordFile.TakeOver(Profile.StateDirectory, Target, State.DeferredIndexes, Save);
        return new DeferredIndexRecord(State.DeferredIndexes, Save, new object(), "the state file");
    }

    /// <summary>Saves the state (after every step and chunk; nothing for a single step). Throws StateWriteFailed when it cannot.</summary>
    public void Save() => _save();
}
