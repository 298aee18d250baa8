using System.Management.Automation;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.Engine.Verify;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists the rows that differ between the two ends, by primary key: missing in the target, extra in the target, or different.</para>
/// </summary>
[Cmdlet(VerbsData.Compare, "DataPlane")]
[OutputType(typeof(RowDifference))]
public sealed class CompareDataPlaneCommand : ProfileCmdletBase
{
    /// <summary>The end that holds the reference data (default: where the selectors say the data lives).</summary>
    [Parameter]
    [ValidateSet(DataLocations.ClusterParameter, DataLocations.ShopwareParameter)]
    public string? Source { get; set; }

    /// <summary>At most this many differing rows per table (default 1000).</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int MaxRowsPerTable { get; set; } = 1000;

    /// <summary>Compares.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        EndpointRole? given = Source is null ? null : DataLocations.FromParameter(Source);
        var differences = RunEngineWithDispatcher(
            async (dispatcher, ct) =>
            {
                var resolved = await ProfileResolver.ResolveAsync(request, dispatcher.Observer, ct).ConfigureAwait(false);
                return await IntegrityCheckStep
                    .DifferingRowsAsync(resolved, given, MaxRowsPerTable, dispatcher.Observer, TableFailed(dispatcher), ct)
                    .ConfigureAwait(false);
            }
        );
        foreach (var difference in differences)
            WriteObject(difference);
    }
}
