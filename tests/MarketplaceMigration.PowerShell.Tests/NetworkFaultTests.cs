using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// The network-fault suite: a real TCP relay (<see cref="FaultProxy"/>) between the tool and a server
/// breaks the link at an exact moment: a reset in the middle of a chunk's load, in the middle of the
/// verification, during the flip's system_config write; a stall longer than the statement timeout; a slow
/// link. Each time the run recovers by trying again on fresh sessions and ends with every row equal
/// (compared independently, each row once), the selectors on the new end and the gate lifted.
/// </summary>
public sealed class NetworkFaultTests
{
    [Fact]
    public async Task AResetInTheMiddleOfAChunkIsTriedAgainAndEveryRowArrivesOnce()
    {
        var rig = await ServerRig.GetAsync();
        await using var proxy = FaultProxy.Start(rig.Cluster);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true, clusterServer: proxy.Over(rig.Cluster));
        await site.WithClusterAsync(sellers: 60);
        var fired = proxy.ResetAfterSent("LOAD DATA", thenBytes: 4000);

        var run = Migrate(site, "Cluster").AssertNoErrors();

        Assert.True(fired.IsCompleted, "the reset was never triggered: no chunk carried 4,000 bytes");
        Assert.True(proxy.Resets > 0);
        Assert.Contains(run.Verbose, v => v.Message.Contains("the link to the server was interrupted") && v.Message.Contains("the chunk after key"));
        await AssertMovedAsync(site, run, "a connection reset in the middle of a chunk's load (target), tried again");
    }

    [Fact]
    public async Task AResetInTheMiddleOfTheVerificationIsTriedAgain()
    {
        var rig = await ServerRig.GetAsync();
        await using var proxy = FaultProxy.Start(rig.Cluster);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true, clusterServer: proxy.Over(rig.Cluster));
        await site.WithClusterAsync(sellers: 30);
        // A fresh offline run reads no digest before integrity_check: the first SHA2( on the target is the verification's.
        var fired = proxy.ResetAfterSent("SHA2(");

        var run = Migrate(site, "Cluster").AssertNoErrors();

        Assert.True(fired.IsCompleted, "the reset was never triggered");
        Assert.Contains(run.Verbose, v => v.Message.Contains("the link to the server was interrupted"));
        Assert.Equal("Succeeded", run.Objects<Engine.Steps.StepResult>().Single(s => s.Step == "integrity_check").Status.ToString());
        await AssertMovedAsync(site, run, "a connection reset in the middle of the verification (target), tried again");
    }

    [Fact]
    public async Task AResetDuringTheFlipsSystemConfigWriteIsTriedAgain()
    {
        var rig = await ServerRig.GetAsync();
        await using var proxy = FaultProxy.Start(rig.Shopware);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true, shopwareServer: proxy.Over(rig.Shopware));
        await site.WithClusterAsync(sellers: 10);
        // The only statement that carries this value: step 6 writing Shopware's dataLocation row.
        var fired = proxy.ResetAfterSent("_value\":\"cluster\"");

        var run = Migrate(site, "Cluster").AssertNoErrors();

        Assert.True(fired.IsCompleted, "the reset was never triggered");
        Assert.Contains(run.Verbose, v => v.Message.Contains("FlyokaiMarketplaceRemote.config.dataLocation") && v.Message.Contains("interrupted"));
        await AssertMovedAsync(site, run, "a connection reset during the flip's system_config write (Shopware), tried again");
    }

    [Fact]
    public async Task AStallLongerThanTheStatementTimeoutIsTriedAgainOnceTheLinkMoves()
    {
        var rig = await ServerRig.GetAsync();
        await using var proxy = FaultProxy.Start(rig.Cluster);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true, clusterServer: proxy.Over(rig.Cluster));
        await site.WithClusterAsync(sellers: 60, extraProfile: ", \"parallelism\": 1");
        File.WriteAllText(site.ProfilePath, File.ReadAllText(site.ProfilePath).Replace("\"lockWaitSeconds\": 2", "\"lockWaitSeconds\": 2, \"statementSeconds\": 2"));
        var fired = proxy.StallAfterSent("LOAD DATA", thenBytes: 4000);
        var release = Task.Run(async () =>
        {
            await fired;
            await Task.Delay(TimeSpan.FromSeconds(6));       // three statement timeouts long
            proxy.Flow();
        });

        var run = Migrate(site, "Cluster").AssertNoErrors();
        await release;

        Assert.Contains(run.Verbose, v => v.Message.Contains("The Command Timeout expired") && v.Message.Contains("the chunk after key"));
        await AssertMovedAsync(site, run, "a stall of 6 s (3x the statement timeout) in the middle of a chunk (target), tried again");
    }

    [Fact]
    public async Task ASlowLinkStillMovesEveryRow()
    {
        var rig = await ServerRig.GetAsync();
        await using var proxy = FaultProxy.Start(rig.Cluster);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true, clusterServer: proxy.Over(rig.Cluster));
        await site.WithClusterAsync(sellers: 30);
        proxy.BytesPerSecond = 400_000;

        var run = Migrate(site, "Cluster").AssertNoErrors();

        await AssertMovedAsync(site, run, "a slow link to the target (400 kB/s each way)");
    }

    private static async Task AssertMovedAsync(ShopwareSite site, PsRun run, string fault)
    {
        foreach (var secret in site.Secrets)
            Assert.DoesNotContain(secret, run.AllText());
        var compared = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        FaultLedger.NetworkFault(fault, compared);
    }
}
