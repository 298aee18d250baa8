using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Sets the maintenance gate and waits until transactions that began before it have ended (step 2 alone).</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "MaintenanceGate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GateStatus))]
public sealed class SetMaintenanceGateCommand : ProfileCmdletBase
{
    /// <summary>Skip the confirmation prompt (for Ansible and CI). It never skips a check.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the gate's status.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Sets the gate.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var resolved = RunEngine((observer, ct) => ProfileResolver.ResolveAsync(request, observer, ct));
        if (
            !ShouldChange(
                $"{resolved.Shopware.Endpoint}.system_config",
                "Set the maintenance gate (every mutating marketplace request is rejected until it is lifted)",
                Force
            )
        )
            return;
        var status = RunEngine((observer, ct) => SetMaintenanceStep.AloneAsync(resolved, observer, ct));
        if (PassThru)
            WriteObject(status);
    }
}
