using MarketplaceMigration.Engine.State;

namespace MarketplaceMigration.Engine.Runs;

/// <summary>Reads the run state without connecting anywhere, so it works while a server is down.</summary>
public static class StateQuery
{
    /// <summary>The run recorded in <paramref name="stateDirectory"/>, or null when none is.</summary>
    public static MigrationRunState? Load(string stateDirectory)
    {
        var store = new StateStore(stateDirectory);
        var state = store.Load();
        return state == null ? null : new MigrationRunState(state, store.Path, RunLock.IsHeld(stateDirectory));
    }

    /// <summary>The recorded run when it is unfinished (its gate must not be lifted by hand, nor a separate copy run), else null; a run ended by Stop-DataMigration is finished.</summary>
    public static MigrationState? Unfinished(string stateDirectory)
    {
        var state = new StateStore(stateDirectory).Load();
        return state is { Status: not (RunStatus.Completed or RunStatus.Canceled) } ? state : null;
    }
}
