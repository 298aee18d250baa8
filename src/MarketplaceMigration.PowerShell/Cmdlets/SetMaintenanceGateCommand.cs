using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Sets the maintenance gate and waits until transactions that began before it have ended (step 2 alone).</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "MaintenanceGate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GateStatus))]
public sealed class SetMaintenanceGateCommand : ProfileCmdletBase
{
    /// <summary>Emit the gate's status.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Sets the gate.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var resolved = RunEngine((observer, ct) => ProfileResolver.ResolveAsync(request, observer, ct));
        if (!ShouldProcess($"{resolved.Shopware.Endpoint}.system_config", "Set the maintenance gate (mutating marketplace requests are rejected)")) return;
        var status = RunEngine((observer, ct) => GateOperations.SetAsync(resolved, observer, ct));
        if (PassThru) WriteObject(status);
    }
}
