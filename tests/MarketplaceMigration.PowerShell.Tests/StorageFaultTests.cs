using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>A disk that fills up (a real tmpfs of a few KiB) under the state directory mid-copy, and under a dump path.</summary>
public sealed class StorageFaultTests
{
    [Fact]
    public async Task AFullDiskUnderTheStateDirectoryStopsTheRunAndTheRerunAfterFreeingItEndsCorrect()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 40, extraProfile: ", \"chunkRows\": 2");
        using var disk = Tmpfs.Mount(Path.Combine(site.Root, "var", "marketplace"), 256);
        var statePath = Path.Combine(disk.Path, "migration.state");

        var running = Task.Run(() => Migrate(site, "Cluster"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((RunStateFile.Read(statePath)?.Chunks ?? 0) < 10 && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.False(running.IsCompleted, "the copy ended before the disk filled");
        disk.Fill();
        var first = await running;

        var error = first.SingleError();
        Assert.StartsWith("StateWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("free space", error.Exception.Message);
        Assert.True(await GateAsync(site));
        await AssertSelectorsAsync(site, "shopware");
        Assert.True(File.Exists(statePath), "the last good state must survive a failed write");
        JsonDocument.Parse(File.ReadAllText(statePath)).Dispose();     // whole, not truncated

        disk.Free();
        Migrate(site, "Cluster").AssertNoErrors();

        var compared = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        FaultLedger.Fault("state directory full mid-copy, freed, rerun", compared);
    }

    [Fact]
    public async Task AFullDiskUnderTheDumpPathStopsAtTheDumpAndTheRerunWithSpaceEndsCorrect()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 40);
        var dumps = Path.Combine(site.Root, "dumps");
        var disk = Tmpfs.Mount(dumps, 16);
        try
        {
            var first = Migrate(site, "Cluster", $"-DumpPath '{dumps}/migration.sql'");

            var error = first.SingleError();
            Assert.StartsWith("DumpWriteFailed,", error.FullyQualifiedErrorId);
            Assert.StartsWith("Step 3 ", error.Exception.Message);
            Assert.True(await GateAsync(site));
            await AssertSelectorsAsync(site, "shopware");
            Assert.Empty(Directory.GetFiles(dumps));      // no partial dump left behind
        }
        finally
        {
            disk.Dispose();     // the same path, now on the roomy disk below
        }

        Migrate(site, "Cluster", $"-DumpPath '{dumps}/migration.sql'").AssertNoErrors();

        Assert.True(new FileInfo(Path.Combine(dumps, "migration.sql")).Length > 16 * 1024);
        var compared = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        await AssertSelectorsAsync(site, "cluster");
        FaultLedger.Fault("dump path full at step 3, space made, rerun", compared);
    }
}
