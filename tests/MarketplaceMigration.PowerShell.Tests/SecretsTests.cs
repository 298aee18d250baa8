using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// Every exported cmdlet run with every stream on (verbose, debug, warning, information, progress,
/// error), succeeding and failing: no known secret in any stream, output object, error, the state
/// file, a dump, or the argument list and environment of a child process (the restart command records
/// its own). The state file is readable by its owner only.
/// </summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task NoCmdletLeaksAPasswordAnywhere()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 8);
        var capture = Path.Combine(site.Root, "child-process.txt");
        var wrapper = Path.Combine(site.Root, "bin", "restart-wrapper.sh");
        File.WriteAllText(wrapper, $"#!/bin/sh\n{{ echo \"ARGS: $0 $*\"; env; }} >> '{capture}'\nexec {site.RestartCommand}\n");
        await site.SetConfigAsync("clusterRestartCommand", $"sh '{wrapper}' --flag");
        var dump = Path.Combine(site.Root, "dump.sql");
        var p = "-ShopwareRoot $root -ProfilePath $profile";
        var calls = new[]
        {
            $"Get-MigrationProfile {p}",
            $"Test-SchemaParity {p}",
            $"Get-MaintenanceGate {p}",
            $"Set-MaintenanceGate {p} -Confirm:$false",
            $"Copy-DataPlane -To Cluster {p} -DumpPath '{dump}' -Confirm:$false",
            $"Test-DataIntegrity {p}",
            $"Compare-DataPlane {p}",
            $"Get-DataLocation {p}",
            $"Set-DataLocation -To Cluster {p} -Confirm:$false",
            $"Restart-MarketplaceCluster {p} -Confirm:$false",
            $"Test-MarketplaceCluster {p}",
            $"Set-DataLocation -To Shopware {p} -Confirm:$false",
            $"Clear-MaintenanceGate {p} -Confirm:$false",
            $"Start-DataMigration -To Cluster {p} -Force",
            $"Get-MigrationState {p}",
            $"New-SchemaMigration -Name AddRating -FromParity -Endpoint Cluster {p}",
            $"New-SchemaMigration -Name AddRating {p}",
            $"Get-SchemaMigration {p}",
            $"Invoke-SchemaMigration {p} -Confirm:$false",
            $"Invoke-SchemaMigration {p} -Until nope",
            $"Start-DataMigration -To Shopware {p} -Force -DropSource",
            $"Approve-DataMigrationCutover {p} -PassThru -Confirm:$false",
            $"Start-DataMigration -To Cluster {p} -Force -Online -PauseBeforeCutover",
            $"Stop-DataMigration {p} -Force",
            // Failing calls: their errors must not carry a secret either.
            $"Start-DataMigration -To Shopware {p} -Force",
            $"Get-MigrationProfile -ShopwareRoot $root -ProfilePath '{Path.Combine(site.Root, "missing.json")}'",
            $"Test-SchemaParity {p} -Table flyokai_user",
        };
        var exported = PsHost.Invoke("(Get-Module MarketplaceMigration).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).ToList();
        Assert.All(exported, name => Assert.Contains(calls, c => c.StartsWith(name + " ")));

        var variables = new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath };
        var everything = new List<string>();
        foreach (var call in calls)
        {
            var run = PsHost.Invoke(call, variables, allStreams: true);
            var text = run.AllText();
            foreach (var secret in site.Secrets) Assert.False(text.Contains(secret), $"{call} showed a password");
            everything.Add(call + ": " + run.Verbose.Count + " verbose, " + run.Debug.Count + " debug, " + run.Progress.Count + " progress, " + run.Errors.Count + " error(s)");
        }

        var states = Directory.GetFiles(Path.Combine(site.Root, "var"), "migration.state*", SearchOption.AllDirectories);
        Assert.NotEmpty(states);     // the finished runs' states, archived when the next run started
        var files = states.Append(dump).Append(capture).Concat(Directory.GetFiles(Path.Combine(site.Root, "var"), "*", SearchOption.AllDirectories)).Distinct().ToList();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var secret in site.Secrets) Assert.False(text.Contains(secret), $"{file} holds a password");
        }

        Assert.Contains("ARGS: ", File.ReadAllText(capture));      // the restart command really ran and recorded itself
        Assert.All(states, state => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(state)));
        Assert.True(everything.Count(e => !e.Contains(" 0 verbose")) >= 10, string.Join("\n", everything));   // the streams were really on
    }
}
