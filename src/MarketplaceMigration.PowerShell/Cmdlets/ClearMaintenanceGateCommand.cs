using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lifts the maintenance gate (step 10 alone); refused while an unfinished run holds it.</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "MaintenanceGate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GateStatus))]
public sealed class ClearMaintenanceGateCommand : ProfileCmdletBase
{
    /// <summary>
    /// Lift it even though an unfinished run holds it. Risk: the shop takes writes while that run's copy
    /// is incomplete or unverified, and a later rerun of the run may overwrite them. Only after verifying both ends yourself.
    /// </summary>
    [Parameter]
    public SwitchParameter IgnoreUnfinishedRun { get; set; }

    /// <summary>Skip the confirmation prompt (for Ansible and CI). It never skips a check.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the gate's status.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Lifts the gate.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var resolved = RunEngine((observer, ct) => ProfileResolver.ResolveAsync(request, observer, ct));
        if (!ShouldChange($"{resolved.Shopware.Endpoint}.system_config", "Lift the maintenance gate (writes resume)", Force))
            return;
        var status = RunEngine((observer, ct) => ClearMaintenanceStep.AloneAsync(resolved, IgnoreUnfinishedRun, observer, ct));
        if (PassThru)
            WriteObject(status);
    }
}
