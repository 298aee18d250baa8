using System.Management.Automation;
using MarketplaceMigration.Engine.Cluster;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Runs the cluster's restart command and waits for its channel port (step 7 alone).</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Restart, "MarketplaceCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ClusterRestartResult))]
public sealed class RestartMarketplaceClusterCommand : ProfileCmdletBase
{
    /// <summary>Skip the confirmation prompt (for Ansible and CI). It never skips a check.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Restarts.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var resolved = RunEngine((observer, ct) => ProfileResolver.ResolveAsync(request, observer, ct));
        var profile = resolved.Profile;
        if (
            !ShouldChange(
                $"{profile.FlyokaiHost}:{profile.ChannelPort}",
                $"Run '{profile.ClusterRestartCommand}' (the cluster stops answering until it is back)",
                Force
            )
        )
            return;
        WriteObject(RunEngine((observer, ct) => RestartClusterStep.AloneAsync(resolved, observer, ct)));
    }
}
