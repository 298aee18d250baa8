using System.Collections.Generic;
using System.Management.Automation;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.SchemaMigrations;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Runs the pending schema migrations (update parts; destructive parts only with -Destructive) on Shopware,
/// the cluster, or both, in lock-file order.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SchemaMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SchemaMigrationResult))]
public sealed class InvokeSchemaMigrationCommand : SchemaMigrationCmdletBase
{
    /// <summary>Shopware, Cluster or Both (default).</summary>
    [Parameter(Position = 0)]
    [ValidateSet(DataLocations.ShopwareParameter, DataLocations.ClusterParameter, "Both")]
    public string Endpoint { get; set; } = "Both";

    /// <summary>Also run the pending destructive parts (updateDestructive) of applied migrations.</summary>
    [Parameter]
    public SwitchParameter Destructive { get; set; }

    /// <summary>Skip the confirmation prompt (for Ansible and CI). It never skips a check.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Run only migrations whose timestamp is at most this one (yyyyMMddHHmmss).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(MigrationVersionCompleter))]
    public string? Until { get; set; }

    /// <summary>Runs (or with -WhatIf plans, with the SQL) and emits one object per migration part.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var whatIf = WhatIfActive;
        if (
            Destructive
            && !whatIf
            && !Force
            && !Prompt(() =>
                ShouldContinue(
                    "Run the pending destructive parts too? They drop columns and tables, and cannot be undone.",
                    "Invoke-SchemaMigration -Destructive"
                )
            )
        )
        {
            return;
        }

        var results = new List<SchemaMigrationResult>();
        RunEngineWithDispatcher(
            async (dispatcher, ct) =>
            {
                var resolved = await ProfileResolver.ResolveAsync(request, dispatcher.Observer, ct).ConfigureAwait(false);
                await SchemaMigrator
                    .InvokeAsync(
                        resolved,
                        Catalog(resolved),
                        Endpoints(Endpoint),
                        Destructive,
                        Until,
                        whatIf,
                        dispatcher.Ask(ShouldProcess),
                        result => dispatcher.Post(() => WriteObject(result)),
                        dispatcher.Observer,
                        ct
                    )
                    .ConfigureAwait(false);
                return true;
            }
        );
    }
}
