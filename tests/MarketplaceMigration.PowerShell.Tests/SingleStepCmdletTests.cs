using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Cluster;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.Verify;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>The single-step cmdlets composed the way an operator would, on real servers with the stand-in cluster.</summary>
public sealed class SingleStepCmdletTests
{
    private static PsRun Run(ShopwareSite site, string script)
        => PsHost.Invoke(script, new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath }, allStreams: true);

    [Fact]
    public async Task ComposingTheStepsByHandMovesTheData()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 8);
        const string P = "-ShopwareRoot $root -ProfilePath $profile";

        var refused = Run(site, $"Copy-DataPlane -To Cluster {P} -Confirm:$false").SingleError();
        Assert.Equal("GateNotSet,MarketplaceMigration.PowerShell.Cmdlets.CopyDataPlaneCommand", refused.FullyQualifiedErrorId);
        var live = Run(site, $"Copy-DataPlane -To Shopware {P} -AllowLiveSource -Force").SingleError();
        Assert.Equal("TargetIsLive,MarketplaceMigration.PowerShell.Cmdlets.CopyDataPlaneCommand", live.FullyQualifiedErrorId);

        var gate = Run(site, $"Set-MaintenanceGate {P} -PassThru -Force").AssertNoErrors().Objects<GateStatus>().Single();
        Assert.True(gate.Set);
        var dump = Path.Combine(site.Root, "dump", "plane.sql");
        var copied = Run(site, $"Copy-DataPlane -To Cluster {P} -DumpPath '{dump}' -Confirm:$false").AssertNoErrors().Objects<TableCopyResult>().ToList();
        Assert.Equal(22, copied.Count);
        Assert.Equal(8, copied.Single(c => c.Table == "flyokai_seller").Rows);
        Assert.Contains("INSERT INTO `flyokai_seller`", File.ReadAllText(dump));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dump));

        var integrity = Run(site, $"Test-DataIntegrity {P}").AssertNoErrors().Objects<TableVerification>().ToList();
        Assert.Equal(22, integrity.Count);
        Assert.All(integrity, t => Assert.True(t.Equal, t.Table));

        var location = Run(site, $"Set-DataLocation -To Cluster {P} -Confirm:$false -PassThru").AssertNoErrors().Objects<DataLocation>().Single();
        Assert.Equal("cluster", location.Location);
        var restart = Run(site, $"Restart-MarketplaceCluster {P} -Force").AssertNoErrors().Objects<ClusterRestartResult>().Single();
        Assert.Equal(0, restart.ExitCode);
        var ping = Run(site, $"Test-MarketplaceCluster {P}").AssertNoErrors().Objects<SmokeResult>().Single();
        Assert.Equal(8, ping.Sellers);
        Assert.Equal(8, ping.ExpectedSellers);
        Run(site, $"Clear-MaintenanceGate {P} -Confirm:$false").AssertNoErrors();
        Assert.False(Run(site, $"Get-MaintenanceGate {P}").AssertNoErrors().Objects<GateStatus>().Single().Set);
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }

    [Fact]
    public async Task SetMaintenanceGateReturnsOnlyOnceATransactionOpenBeforeItHasEnded()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 4, drainSeconds: 60);   // the drain proof's deadline far beyond the wait below, however slow the machine
        // A shop request that passed the gate check before the gate was set, still inside its transaction.
        await using var shop = await site.Shopware.OpenAsync();
        await using (var write = new MySqlConnector.MySqlCommand("START TRANSACTION; UPDATE flyokai_seller SET status = 'drained' WHERE slug = 'seller-1'", shop))
            await write.ExecuteNonQueryAsync();

        var gate = Task.Run(() => Run(site, "Set-MaintenanceGate -ShopwareRoot $root -ProfilePath $profile -PassThru -Force"));
        var deadline = System.DateTime.UtcNow.AddSeconds(30);
        while (!await GateAsync(site) && System.DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(await GateAsync(site), "the gate was never set");
        // Several of the drain proof's looks (it waits 5 ms, then longer, up to 200 ms between them): it must still be waiting.
        await Task.Delay(600);
        Assert.False(gate.IsCompleted, "Set-MaintenanceGate returned while a transaction that began before the gate was still open");

        await using (var commit = new MySqlConnector.MySqlCommand("COMMIT", shop)) await commit.ExecuteNonQueryAsync();
        var status = (await gate).AssertNoErrors().Objects<GateStatus>().Single();
        Assert.Equal(1, status.TransactionsDrained);
    }

    [Fact]
    public async Task IntegrityNamesTheDifferingRowsAndSetDataLocationRefusesThem()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 8);
        Run(site, "Set-MaintenanceGate -ShopwareRoot $root -ProfilePath $profile -Force").AssertNoErrors();
        Run(site, "Copy-DataPlane -To Cluster -ShopwareRoot $root -ProfilePath $profile -Confirm:$false").AssertNoErrors();
        var missingKey = (byte[])(await site.Cluster.ScalarAsync("SELECT id FROM flyokai_seller ORDER BY id LIMIT 1"))!;
        await site.Cluster.ExecuteAsync("SET foreign_key_checks = 0; DELETE FROM flyokai_seller ORDER BY id LIMIT 1; UPDATE flyokai_mail SET body = CONCAT(body, '!') ORDER BY id LIMIT 1");

        var results = Run(site, "Test-DataIntegrity -ShopwareRoot $root -ProfilePath $profile").AssertNoErrors().Objects<TableVerification>().ToList();

        var sellers = results.Single(r => r.Table == "flyokai_seller");
        Assert.False(sellers.Equal);
        Assert.Equal((8L, 7L), (sellers.SourceRows, sellers.TargetRows));
        var missing = Assert.Single(sellers.Differences);
        Assert.Equal(RowDifferenceKind.MissingInTarget, missing.Kind);
        Assert.Equal("0x" + System.Convert.ToHexString(missingKey), missing.Key);
        Assert.Equal(RowDifferenceKind.Different, Assert.Single(results.Single(r => r.Table == "flyokai_mail").Differences).Kind);
        Assert.Equal(20, results.Count(r => r.Equal));

        var refused = Run(site, "Set-DataLocation -To Cluster -ShopwareRoot $root -ProfilePath $profile -Confirm:$false").SingleError();
        Assert.Equal("DataNotVerified,MarketplaceMigration.PowerShell.Cmdlets.SetDataLocationCommand", refused.FullyQualifiedErrorId);
        await AssertSelectorsAsync(site, "shopware");
        Run(site, "Set-DataLocation -To Cluster -SkipVerification -Force -ShopwareRoot $root -ProfilePath $profile").AssertNoErrors();
        await AssertSelectorsAsync(site, "cluster");
    }

    [Fact]
    public async Task TheGateCannotBeLiftedByHandWhileARunHoldsIt()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 4);
        await site.SetConfigAsync("clusterRestartCommand", "echo cannot restart now >&2; exit 3");
        Migrate(site, "Cluster").SingleError();

        var refused = Run(site, "Clear-MaintenanceGate -ShopwareRoot $root -Confirm:$false").SingleError();

        Assert.Equal("GateHeldByRun,MarketplaceMigration.PowerShell.Cmdlets.ClearMaintenanceGateCommand", refused.FullyQualifiedErrorId);
        Assert.Contains("Start-DataMigration -To Cluster", refused.Exception.Message);
        Assert.True(await GateAsync(site));
        Run(site, "Clear-MaintenanceGate -ShopwareRoot $root -IgnoreUnfinishedRun -Force").AssertNoErrors();
        Assert.False(await GateAsync(site));
    }
}
