using System.Management.Automation;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Points both data-location selectors at one end (step 6 alone); refused unless both ends verify equal, or -SkipVerification.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "DataLocation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DataLocation))]
public sealed class SetDataLocationCommand : ProfileCmdletBase
{
    /// <summary>Where the selectors should point: Cluster or Shopware.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet(DataLocations.ClusterParameter, DataLocations.ShopwareParameter)]
    public string To { get; set; } = string.Empty;

    /// <summary>
    /// Flip without verifying that both ends hold the same rows. Risk: if the new location is behind, the
    /// shop serves and builds on stale data. Only when you know the data at the new location is the current one.
    /// </summary>
    [Parameter]
    public SwitchParameter SkipVerification { get; set; }

    /// <summary>Skip the confirmation prompt (for Ansible and CI). It never skips a check.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit both selectors afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Flips.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var resolved = RunEngine((observer, ct) => ProfileResolver.ResolveAsync(request, observer, ct));
        var to = DataLocations.FromParameter(To);
        var location = to.Selector();
        if (
            !ShouldChange(
                $"{resolved.Profile.ClusterConfigPath} and {resolved.Shopware.Endpoint}.system_config",
                $"Set both data-location selectors to '{location}'",
                Force
            )
        )
            return;
        var result = RunEngine((observer, ct) => FlipDataLocationStep.AloneAsync(resolved, to, SkipVerification, observer, ct));
        if (PassThru)
            WriteObject(result);
    }
}
