using System.Management.Automation;
using MarketplaceMigration.Engine.Cluster;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Pings the marketplace through the cluster in a fresh process and checks it answers from where the data lives (step 8 alone).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MarketplaceCluster")]
[OutputType(typeof(SmokeResult))]
public sealed class TestMarketplaceClusterCommand : ProfileCmdletBase
{
    /// <summary>Pings.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        WriteObject(
            RunEngine(
                async (observer, ct) =>
                {
                    var resolved = await ProfileResolver.ResolveAsync(request, observer, ct).ConfigureAwait(false);
                    return await SmokeTestStep.AloneAsync(resolved, observer, ct).ConfigureAwait(false);
                }
            )
        );
    }
}
