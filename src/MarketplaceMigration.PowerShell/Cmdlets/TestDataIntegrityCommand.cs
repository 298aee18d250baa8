using System.Management.Automation;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.Engine.Verify;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Verifies that both ends hold the same rows (step 5 alone): one result per table.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DataIntegrity")]
[OutputType(typeof(TableVerification))]
public sealed class TestDataIntegrityCommand : ProfileCmdletBase
{
    /// <summary>Full (counts and every row, default) or Sample (counts and 8 random rows per table).</summary>
    [Parameter]
    public VerificationMode Verification { get; set; } = VerificationMode.Full;

    /// <summary>The end that holds the reference data (default: where the selectors say the data lives).</summary>
    [Parameter]
    [ValidateSet(DataLocations.ClusterParameter, DataLocations.ShopwareParameter)]
    public string? Source { get; set; }

    /// <summary>Verifies.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        EndpointRole? given = Source is null ? null : DataLocations.FromParameter(Source);
        var results = RunEngineWithDispatcher(
            async (dispatcher, ct) =>
            {
                var resolved = await ProfileResolver.ResolveAsync(request, dispatcher.Observer, ct).ConfigureAwait(false);
                return await IntegrityCheckStep
                    .AloneAsync(resolved, given, Verification, dispatcher.Observer, TableFailed(dispatcher), ct)
                    .ConfigureAwait(false);
            }
        );
        foreach (var result in results)
            WriteObject(result);
    }
}
