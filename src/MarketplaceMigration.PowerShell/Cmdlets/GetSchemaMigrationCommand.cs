using System.Management.Automation;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.SchemaMigrations;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists every known schema migration with its state on each endpoint: Applied, Pending,
/// DestructivePending, Skipped, Failed, ChangedAfterApply, FileMissing.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SchemaMigration")]
[OutputType(typeof(SchemaMigrationStatus))]
public sealed class GetSchemaMigrationCommand : SchemaMigrationCmdletBase
{
    /// <summary>Shopware, Cluster or Both (default).</summary>
    [Parameter(Position = 0)]
    [ValidateSet(DataLocations.ShopwareParameter, DataLocations.ClusterParameter, "Both")]
    public string Endpoint { get; set; } = "Both";

    /// <summary>Emits one object per migration and endpoint, in run order.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var list = RunEngine(
            async (observer, ct) =>
            {
                var resolved = await ProfileResolver.ResolveAsync(request, observer, ct).ConfigureAwait(false);
                return await SchemaMigrator.StatusAsync(resolved, Catalog(resolved), Endpoints(Endpoint), ct).ConfigureAwait(false);
            }
        );
        foreach (var status in list)
            WriteObject(status);
    }
}
