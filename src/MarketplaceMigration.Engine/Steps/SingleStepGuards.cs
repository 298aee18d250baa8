using System.Collections.Generic;
using System.Linq;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Verify;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// The refusals a single-step cmdlet adds to its step's body. In a run, the run itself protects the
/// ends (its lock, its order, its gate); a step run alone has only these. Each names what it protects
/// and the explicitly named switch, if any, that overrides it.
/// </summary>
public static class SingleStepGuards
{
    /// <summary>Copy-DataPlane: no unfinished run whose copy a separate one would interfere with.</summary>
    public static void NoRunToInterfereWith(string stateDirectory)
    {
        if (Unfinished(stateDirectory) is not { } run)
            return;
        throw new MigrationException(
            ErrorIds.RunInProgress,
            MigrationErrorKind.PreflightFailed,
            stateDirectory,
            $"Run {run.RunId} ({run.Options.Direction}) is unfinished at step {run.NextStep?.Number} {run.NextStep?.Name}; "
                + "a separate copy would interfere with it.",
            "finish it with Start-DataMigration (it resumes), or use it instead of Copy-DataPlane."
        );
    }

    /// <summary>Clear-MaintenanceGate: no unfinished run holds the gate, unless <paramref name="ignoreUnfinishedRun"/> (-IgnoreUnfinishedRun).</summary>
    public static void NoRunHoldsTheGate(string stateDirectory, bool ignoreUnfinishedRun)
    {
        // An online run's last step (the capture's removal) comes after its lift: that run no longer holds the gate.
        if (
            ignoreUnfinishedRun
            || Unfinished(stateDirectory) is not { } run
            || run.Step(ClearMaintenanceStep.StepName).Status == StepStatus.Succeeded
        )
            return;
        throw new MigrationException(
            ErrorIds.GateHeldByRun,
            MigrationErrorKind.PreflightFailed,
            stateDirectory,
            $"Run {run.RunId} ({run.Options.Direction}) is unfinished at step {run.NextStep?.Number} {run.NextStep?.Name}; "
                + "lifting the gate now could let writes split across the two databases.",
            $"finish the run (Start-DataMigration -To {run.Options.Direction.Target().Parameter()}), which lifts the gate as it ends. "
                + "Only if you have verified both ends yourself: Clear-MaintenanceGate -IgnoreUnfinishedRun."
        );
    }

    /// <summary>Copy-DataPlane: never into the end a selector says the data lives in, whatever the switches.</summary>
    public static void TargetNotLive(DataLocation location, MigrationDirection direction, ConnectionTarget target)
    {
        if (location is null || target is null)
            throw new System.ArgumentNullException(location is null ? nameof(location) : nameof(target));
        if (!location.EitherNames(direction.Target()))
            return;
        throw new MigrationException(
            ErrorIds.TargetIsLive,
            MigrationErrorKind.PreflightFailed,
            target.Endpoint.ToString(),
            $"A selector says the data plane lives in '{direction.Target().Selector()}' ({target.Endpoint}); copying there would overwrite the live data.",
            $"copy the other way (-To {direction.Source().Parameter()}), or fix the selectors first (Get-DataLocation)."
        );
    }

    /// <summary>Copy-DataPlane: the source is still behind the gate, unless <paramref name="allowLiveSource"/> (-AllowLiveSource, a rehearsal).</summary>
    public static void GateSetUnlessAllowed(DataLocation location, bool allowLiveSource)
    {
        if (location is null)
            throw new System.ArgumentNullException(nameof(location));
        if (location.MaintenanceGate || allowLiveSource)
            return;
        throw new MigrationException(
            ErrorIds.GateNotSet,
            MigrationErrorKind.PreflightFailed,
            RemoteSettings.KeyPrefix + "maintenance",
            "The maintenance gate is not set, so the source can change while it is copied and the copy would be inconsistent.",
            "Set-MaintenanceGate first (it also waits for open transactions), or pass -AllowLiveSource to copy a live source anyway (for a rehearsal)."
        );
    }

    /// <summary>Set-DataLocation: both ends hold the same rows (the verification's results) before the selectors point at <paramref name="to"/>.</summary>
    public static void EndsHoldTheSameRows(IReadOnlyList<TableVerification> results, EndpointRole to)
    {
        var bad = (results ?? throw new System.ArgumentNullException(nameof(results))).Where(r => !r.Equal).ToList();
        if (bad.Count == 0)
            return;
        throw new MigrationException(
            ErrorIds.DataNotVerified,
            MigrationErrorKind.VerificationFailed,
            bad[0].Table,
            $"The two ends do not hold the same rows ({string.Join(", ", bad.Take(5).Select(b => b.Table))} differ), "
                + $"so pointing the selectors at '{to.Selector()}' would serve other data.",
            "move the data with Start-DataMigration instead; use -SkipVerification only when you know the data at the new location is the current one."
        );
    }

    /// <summary>The recorded run when it is unfinished; a run ended by Stop-DataMigration is finished.</summary>
    private static MigrationState? Unfinished(string stateDirectory) =>
        new StateStore(stateDirectory).Load() is { Status: not (RunStatus.Completed or RunStatus.Canceled) } state ? state : null;
}
