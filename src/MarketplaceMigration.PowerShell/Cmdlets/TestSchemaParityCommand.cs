using System.Linq;
using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Schema;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Compares the data-plane tables of the Shopware and cluster databases (step 1, schema_check).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SchemaParity")]
[OutputType(typeof(SchemaDifference), typeof(bool))]
public sealed class TestSchemaParityCommand : ProfileCmdletBase
{
    /// <summary>Return only $true (no Error-level difference: a move's schema_check would pass) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Compares and emits one object per difference, or one boolean with -Quiet.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var differences = RunEngine(
            async (observer, ct) =>
            {
                var resolved = await ProfileResolver.ResolveAsync(request, observer, ct).ConfigureAwait(false);
                return await SchemaCheckStep.CompareAsync(resolved, observer, ct).ConfigureAwait(false);
            }
        );

        if (Quiet)
        {
            WriteObject(differences.All(d => d.Severity != DifferenceSeverity.Error));
            return;
        }

        foreach (var difference in differences)
            WriteObject(difference);
    }
}
