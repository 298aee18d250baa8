using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows where the data plane lives, as both selectors say, and whether they agree.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DataLocation")]
[OutputType(typeof(DataLocation))]
public sealed class GetDataLocationCommand : ProfileCmdletBase
{
    /// <summary>Reads both selectors.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        WriteObject(
            RunEngine(
                async (observer, ct) =>
                {
                    var resolved = await ProfileResolver.ResolveAsync(request, observer, ct).ConfigureAwait(false);
                    return await DataLocationFlip
                        .ReadAsync(resolved.SystemConfig, resolved.Profile.ClusterConfigPath, ct)
                        .ConfigureAwait(false);
                }
            )
        );
    }
}
