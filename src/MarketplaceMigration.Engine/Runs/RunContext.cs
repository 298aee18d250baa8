using System;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.State;

namespace MarketplaceMigration.Engine.Runs;

/// <summary>Everything a step works with: the resolved settings, the run's state and where it is saved, the observer.</summary>
public sealed class RunContext
{
    /// <summary>Creates the context of a run.</summary>
    public RunContext(
        ResolvedProfile resolved,
        MigrationState state,
        StateStore store,
        IRunObserver observer,
        Func<string, string, bool> confirm,
        Func<System.Threading.CancellationToken, System.Threading.Tasks.Task>? cutoverHook = null
    )
    {
        CutoverHook = cutoverHook;
        Resolved = resolved ?? throw new ArgumentNullException(nameof(resolved));
        State = state ?? throw new ArgumentNullException(nameof(state));
        Store = store ?? throw new ArgumentNullException(nameof(store));
        Observer = observer ?? NullRunObserver.Instance;
        Confirm = confirm ?? ((_, _) => true);
    }

    /// <summary>The resolved settings (with the connection targets).</summary>
    public ResolvedProfile Resolved { get; }

    /// <summary>The profile view.</summary>
    public MigrationProfile Profile => Resolved.Profile;

    /// <summary>The run's state.</summary>
    public MigrationState State { get; }

    /// <summary>Where the state is saved.</summary>
    public StateStore Store { get; }

    /// <summary>Where progress and messages go.</summary>
    public IRunObserver Observer { get; }

    /// <summary>Asks before a destructive action (target text, action text); true to go on.</summary>
    public Func<string, string, bool> Confirm { get; }

    /// <summary>Runs under the gate after an online run's final verification and before its flip (null: none); throwing stops the run there.</summary>
    public Func<System.Threading.CancellationToken, System.Threading.Tasks.Task>? CutoverHook { get; }

    /// <summary>The run's options.</summary>
    public RunOptions Options => State.Options;

    /// <summary>The endpoint read from.</summary>
    public ConnectionTarget Source => Resolved.For(Options.Direction.Source());

    /// <summary>The endpoint written to.</summary>
    public ConnectionTarget Target => Resolved.For(Options.Direction.Target());

    /// <summary>Saves the state (after every step and chunk). Throws StateWriteFailed when it cannot.</summary>
    public void Save() => Store.Save(State);
}
