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
}
