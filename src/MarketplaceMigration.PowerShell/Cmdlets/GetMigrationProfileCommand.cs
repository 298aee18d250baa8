using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows the resolved settings of a data-plane move, without secrets.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MigrationProfile")]
[OutputType(typeof(MigrationProfile))]
public sealed class GetMigrationProfileCommand : ProfileCmdletBase
{
    /// <summary>Resolves the settings and emits them; settings that cannot be resolved are a non-terminating error.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: true);
        // No profile to show is an error about the one item asked for: non-terminating, as Get-Item's.
        // With each end's nodes as its server reports them (a Galera cluster's; none for one server).
        if (
            TryRunEngine(
                async (observer, ct) =>
                    await (await ProfileResolver.ResolveAsync(request, observer, ct).ConfigureAwait(false))
                        .WithReportedNodesAsync(observer, ct)
                        .ConfigureAwait(false),
                out var resolved
            )
        )
            WriteObject(resolved.Profile);
    }
}
