using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows whether the marketplace maintenance gate is set.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MaintenanceGate")]
[OutputType(typeof(GateStatus))]
public sealed class GetMaintenanceGateCommand : ProfileCmdletBase
{
    /// <summary>Reads the gate.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        WriteObject(
            RunEngine(
                async (observer, ct) =>
                    await MaintenanceGate
                        .StatusAsync((await ProfileResolver.ResolveAsync(request, observer, ct).ConfigureAwait(false)).SystemConfig, ct)
                        .ConfigureAwait(false)
            )
        );
    }
}
