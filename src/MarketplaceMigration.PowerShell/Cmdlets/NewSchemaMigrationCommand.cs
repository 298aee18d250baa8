using System;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.SchemaMigrations;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Creates a timestamped schema migration file (Migration&lt;yyyyMMddHHmmss&gt;&lt;Name&gt;.sql) with an
/// update and a destructive part; with -FromParity, filled from Test-SchemaParity's differences.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "SchemaMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class NewSchemaMigrationCommand : SchemaMigrationCmdletBase
{
    /// <summary>The description: letters and digits, e.g. AddSellerRating.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Write the statements that bring -Endpoint to the other end's shape (from Test-SchemaParity), for review.</summary>
    [Parameter]
    public SwitchParameter FromParity { get; set; }

    /// <summary>With -FromParity: the endpoint to change (default Cluster).</summary>
    [Parameter]
    [ValidateSet(DataLocations.ShopwareParameter, DataLocations.ClusterParameter)]
    public string Endpoint { get; set; } = DataLocations.ClusterParameter;

    /// <summary>Writes the file and emits it.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var fromParity = FromParity.IsPresent;
        var change = DataLocations.FromParameter(Endpoint);
        var (root, content) = RunEngine(
            async (observer, ct) =>
            {
                if (!fromParity)
                    return (
                        request.ShopwareRoot ?? request.CurrentDirectory ?? Directory.GetCurrentDirectory(),
                        (Func<string, string, string>?)null
                    );
                var resolved = await ProfileResolver.ResolveAsync(request, observer, ct).ConfigureAwait(false);
                return (
                    resolved.Profile.ShopwareRoot,
                    await ParityMigration.ContentAsync(resolved, change, observer, ct).ConfigureAwait(false)
                );
            }
        );

        if (fromParity && content is null)
        {
            WriteWarning("Test-SchemaParity finds no difference: there is nothing to write.");
            return;
        }

        var source = Sources(root)[0];
        if (!ShouldProcess(source, $"create migration {Name}"))
            return;
        var path = RunEngine((_, _) => Task.FromResult(SchemaMigrationScaffold.Create(source, Name, DateTime.UtcNow, content)));
        WriteObject(new FileInfo(path));
    }
}
