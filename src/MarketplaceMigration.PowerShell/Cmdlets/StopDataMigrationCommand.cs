using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Ends an unfinished move before its flip: removes the online capture (triggers and changelogs), lifts the
/// gate only if the run set it, and leaves the source as it was.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "DataMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RunCancelResult))]
public sealed class StopDataMigrationCommand : ProfileCmdletBase
{
    /// <summary>Skip the confirmation prompt. It never skips a check.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Stops the run (a running process is asked to stop and given a minute to let go).</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var resolved = RunEngine((observer, ct) => ProfileResolver.ResolveAsync(request, observer, ct));
        if (!ShouldProcess(resolved.Profile.StateDirectory, "Stop the unfinished move: remove its change capture and discard its progress"))
            return;
        if (
            !Force
            && !Prompt(() =>
                ShouldContinue("Stop the unfinished move? Its copy is discarded; the source keeps serving the shop.", "Stop-DataMigration")
            )
        )
            return;
        WriteObject(RunEngine((observer, ct) => RunCancel.CancelAsync(resolved, observer, ct)));
    }
}
