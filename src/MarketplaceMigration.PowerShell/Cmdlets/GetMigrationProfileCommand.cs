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
    /// <summary>Resolves the settings and emits them.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: true);
        var resolved = RunEngine((observer, ct) => ProfileResolver.ResolveAsync(request, observer, ct));
        WriteObject(resolved.Profile);
    }
}
