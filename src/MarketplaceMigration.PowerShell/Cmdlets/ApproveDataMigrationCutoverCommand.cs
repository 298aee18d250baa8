using System.IO;
using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Online;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lets an online move that waits before its cutover (-PauseBeforeCutover) go on: from this or any other
/// process, before or during the wait.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Approve, "DataMigrationCutover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ApproveDataMigrationCutoverCommand : ProfileCmdletBase
{
    /// <summary>Emit the approval file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Drops the approval file into the state directory.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var resolved = RunEngine((observer, ct) => ProfileResolver.ResolveAsync(request, observer, ct));
        if (!ShouldProcess(resolved.Profile.StateDirectory, "Approve the cutover: the waiting online move sets the gate and flips"))
            return;
        var path = RunSignals.Approve(resolved.Profile.StateDirectory);
        WriteVerbose($"Approved: {path}. The waiting run sets the gate within a second or two.");
        if (PassThru)
            WriteObject(new FileInfo(path));
    }
}
