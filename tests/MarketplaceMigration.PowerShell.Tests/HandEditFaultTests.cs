using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>What people do between and during runs: edit the cluster file by hand, write into the source behind the gate.</summary>
public sealed class HandEditFaultTests
{
    private const string Cmdlet = "MarketplaceMigration.PowerShell.Cmdlets.StartDataMigrationCommand";

    /// <summary>A run stopped after the flip (the cluster's port never opened), so a rerun resumes at step 7.</summary>
    private static async Task<ShopwareSite> StoppedAfterTheFlipAsync()
    {
        var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 12);
        await site.StopClusterAsync();
        await site.SetConfigAsync("clusterRestartCommand", "true");
        Assert.StartsWith("ClusterPortTimeout,", Migrate(site, "Cluster").SingleError().FullyQualifiedErrorId);
        await site.SetConfigAsync("clusterRestartCommand", site.RestartCommand);
        return site;
    }

    [Fact]
    public async Task AClusterFileReformattedByHandBetweenRunsKeepsTheEditAndTheRerunFinishes()
    {
        await using var site = await StoppedAfterTheFlipAsync();
        var config = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(site.ClusterConfigPath))!;
        var edited = "{\n\"app\": {\"name\": \"flyokai\", \"workers\": 8, \"addedByHand\": true},\n  \"db\": " + config["db"].GetRawText() + ",\n\"http\": {\"port\": 1339}\n}\n";
        site.WriteClusterConfigText(edited);

        Migrate(site, "Cluster").AssertNoErrors();

        await AssertSelectorsAsync(site, "cluster");
        Assert.Contains("\"addedByHand\": true", File.ReadAllText(site.ClusterConfigPath));
        Assert.Contains("\"workers\": 8", File.ReadAllText(site.ClusterConfigPath));
        Assert.False(await GateAsync(site));
        FaultLedger.Fault("cluster file reformatted by hand between runs", await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false)));
    }

    [Fact]
    public async Task AClusterSelectorTurnedBackByHandAfterTheFlipKeepsTheGateSetUntilTheSelectorsAgree()
    {
        await using var site = await StoppedAfterTheFlipAsync();
        site.WriteClusterConfigText(File.ReadAllText(site.ClusterConfigPath).Replace("\"active\": \"cluster\"", "\"active\": \"shopware\""));

        var stopped = Migrate(site, "Cluster");

        var error = stopped.SingleError();
        Assert.Equal("SelectorsDisagree," + Cmdlet, error.FullyQualifiedErrorId);
        Assert.StartsWith("Step 10 ", error.Exception.Message);
        Assert.Contains("Set-DataLocation -To Cluster", error.Exception.Message);
        Assert.True(await GateAsync(site), "the gate must stay set while the selectors disagree");

        PsHost.Invoke("Set-DataLocation -To Cluster -ShopwareRoot $root -ProfilePath $profile -Confirm:$false",
            new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath }).AssertNoErrors();
        Migrate(site, "Cluster").AssertNoErrors();

        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        FaultLedger.Fault("cluster selector turned back by hand after the flip", await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false)));
    }

    [Fact]
    public async Task AWriteIntoTheSourceBehindTheGateIsCaughtByTheVerificationAndCopiedByTheRerun()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 40, extraProfile: ", \"chunkRows\": 2");
        // A session that ignores the gate writes into a table the copy has finished while other tables
        // are still being copied (about a thousand two-row chunks: the verification is seconds away).
        var running = Task.Run(() => Migrate(site, "Cluster"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (RunStateFile.Read(site)?.CopiedTables.Contains("flyokai_seller") != true && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(2);
        Assert.False(running.IsCompleted, "the run ended before the write");
        await site.Shopware.ExecuteAsync("UPDATE flyokai_seller SET status = 'written-behind-the-gate' WHERE slug = 'seller-7'");
        var first = await running;

        var error = first.SingleError();
        Assert.Equal("ChecksumMismatch," + Cmdlet, error.FullyQualifiedErrorId);
        Assert.Contains("flyokai_seller", error.Exception.Message);
        Assert.True(await GateAsync(site));
        await AssertSelectorsAsync(site, "shopware");

        Migrate(site, "Cluster").AssertNoErrors();

        Assert.Equal("written-behind-the-gate", (await site.Cluster.ScalarAsync("SELECT status FROM flyokai_seller WHERE slug = 'seller-7'"))?.ToString());
        await AssertSelectorsAsync(site, "cluster");
        FaultLedger.Fault("a write into the source behind the gate", await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false)));
    }
}
