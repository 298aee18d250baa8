using System.Management.Automation;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Copies the data plane to the other end (steps 3 and 4 alone), table by table, in key-ordered chunks.</para>
/// </summary>
[Cmdlet(VerbsCommon.Copy, "DataPlane", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TableCopyResult))]
public sealed class CopyDataPlaneCommand : ProfileCmdletBase
{
    /// <summary>Where the copy goes: Cluster or Shopware (never the end the data lives in).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet(DataLocations.ClusterParameter, DataLocations.ShopwareParameter)]
    public string To { get; set; } = string.Empty;

    /// <summary>Also write the data plane to this file as SQL the mysql client can load.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DumpPath { get; set; }

    /// <summary>
    /// Copy even though the maintenance gate is not set (a rehearsal on a live source). Risk: writes the
    /// shop makes during the copy are missing from it, so the copy is not fit to flip to. Never overrides
    /// the refusal to write into the live end.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowLiveSource { get; set; }

    /// <summary>Skip the confirmation prompt (for Ansible and CI). It never skips a check.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Copies.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var direction = DataLocations.Toward(DataLocations.FromParameter(To));
        var resolved = RunEngine((observer, ct) => ProfileResolver.ResolveAsync(request, observer, ct));
        var target = resolved.For(direction.Target()).Endpoint;
        if (
            !ShouldChange(
                $"{target}",
                $"Empty {resolved.Profile.Tables.Count} data-plane tables and copy every row from {resolved.For(direction.Source()).Endpoint}",
                Force
            )
        )
            return;
        var dumpPath = DumpPath is null ? null : GetUnresolvedProviderPathFromPSPath(DumpPath);
        RunEngineWithDispatcher(
            async (dispatcher, ct) =>
            {
                await ImportTablesStep
                    .CopyAloneAsync(
                        resolved,
                        direction,
                        dumpPath,
                        AllowLiveSource,
                        dispatcher.Observer,
                        r => dispatcher.Post(() => WriteObject(r)),
                        ct
                    )
                    .ConfigureAwait(false);
                return true;
            }
        );
    }
}
