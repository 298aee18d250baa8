using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.Schema;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// The profile's deferIndexes (on by default): each table's secondary indexes dropped before its load and
/// rebuilt when its copy completes, rebuilt by the rerun of an interrupted copy (a ten-step run's from its
/// state file, a Copy-DataPlane's from its record in the state directory), and kept with deferIndexes false
/// and for tables below deferIndexesMinRows (the test shops' tables are all small: most tests set it to 1); the online
/// move's live copy defers them too, but for UNIQUE ones.
/// </summary>
public sealed class DeferredIndexTests
{
    /// <summary>"table.index" of every secondary index of the flyokai tables, sorted.</summary>
    internal static async Task<List<string>> SecondaryIndexNamesAsync(TestDatabase db)
    {
        var names = new List<string>();
        await using var connection = await db.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand(
            "SELECT DISTINCT CONCAT(TABLE_NAME, '.', INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                + "AND INDEX_NAME <> 'PRIMARY' AND TABLE_NAME LIKE 'flyokai%' ORDER BY 1",
            connection
        );
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>Every secondary index of the data-plane tables on <paramref name="source"/> is on <paramref name="target"/>
    /// (none a copy dropped was left out; Shopware's own flyokai_user is not a data-plane table).</summary>
    internal static async Task AssertSameIndexesAsync(TestDatabase source, TestDatabase target)
    {
        var dataPlane = ShopwareSite.Tables(typeProbe: false).ToHashSet();
        bool Moved(string index) => dataPlane.Contains(index.Split('.')[0]);
        Assert.Equal((await SecondaryIndexNamesAsync(source)).Where(Moved), (await SecondaryIndexNamesAsync(target)).Where(Moved));
    }

    internal static async Task<long> SecondaryIndexesAsync(TestDatabase db) =>
        Convert.ToInt64(
            await db.ScalarAsync(
                "SELECT COUNT(DISTINCT TABLE_NAME, INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' AND TABLE_NAME LIKE 'flyokai%'"
            )
        );

    private static List<SchemaDifference> Parity(ShopwareSite site) =>
        PsHost
            .Invoke(
                "Test-SchemaParity -ShopwareRoot $root -ProfilePath $profile",
                new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath }
            )
            .AssertNoErrors()
            .Objects<SchemaDifference>()
            .ToList();

    private const string EveryTable = ", \"deferIndexesMinRows\": 1";

    [Fact]
    public async Task IndexesDroppedForTheLoadAreRebuiltAndTheSchemasStayEqual()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 20, extraProfile: EveryTable);
        var before = await SecondaryIndexesAsync(site.Cluster);

        var run = Migrate(site, "Cluster").AssertNoErrors();

        Assert.Contains(run.Verbose, v => v.Message.Contains("secondary index(es)") && v.Message.Contains("dropped"));
        Assert.Contains(run.Verbose, v => v.Message.Contains("rebuilt"));
        Assert.Equal(before, await SecondaryIndexesAsync(site.Cluster));
        Assert.Empty(Parity(site));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }

    [Fact]
    public async Task TheOnlineCopyDefersAllButUniqueIndexesAndRebuildsThemBeforeTheGate()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 20, extraProfile: ", \"chunkRows\": 25" + EveryTable);
        var before = await SecondaryIndexesAsync(site.Cluster);

        var writer = await LiveWriter.StartAsync(site.Shopware, site.Shopware, perSecond: 200);
        var run = await Task.Run(() => Migrate(site, "Cluster", "-Online -Verbose"));
        await writer.StopAsync();
        run.AssertNoErrors();

        Assert.Contains(run.Verbose, v => v.Message.Contains("secondary index(es)") && v.Message.Contains("dropped"));
        // The live copy's REPLACE resolves rows read at different moments that collide on a unique key: UNIQUE indexes
        // stay (flyokai_seller_group has no other secondary index, so nothing is dropped there).
        Assert.DoesNotContain(run.Verbose, v => v.Message.StartsWith("flyokai_seller_group: dropped", StringComparison.Ordinal));
        Assert.True(writer.Counts.ContainsKey("unique-move"), "the writer moved no unique value during the move");
        // Rebuilt within copy_live, before the gate: final_sync is the only step under the gate that could have.
        var rebuilt = run.Verbose.Select((v, i) => (v, i)).Where(x => x.v.Message.Contains("rebuilt")).Select(x => x.i).ToList();
        var gate = run.Verbose.Select((v, i) => (v, i)).First(x => x.v.Message.Contains(" set_maintenance (attempt", StringComparison.Ordinal)).i;
        Assert.NotEmpty(rebuilt);
        Assert.All(rebuilt, i => Assert.True(i < gate, "an index was rebuilt after the gate was set"));
        Assert.Equal(before, await SecondaryIndexesAsync(site.Cluster));
        Assert.Empty(Parity(site));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }

    [Fact]
    public async Task StopDataMigrationBuildsAgainTheIndexesAKilledOnlineCopyLeftDropped()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 40, extraProfile: ", \"chunkRows\": 3" + EveryTable);
        var before = await SecondaryIndexNamesAsync(site.Cluster);
        var output = new System.Text.StringBuilder();
        using (var child = KillTests.StartChild(site, "Cluster", output, "-Online"))
        {
            Assert.True(await KillChainTests.WaitAsync(site, child, s => s.Chunks >= 6 && !s.Done(3)), $"the live copy did not start: {output}");
            KillTests.KillHard(child);
        }

        Assert.True((await SecondaryIndexNamesAsync(site.Cluster)).Count < before.Count, "the live copy had indexes dropped when it was killed");

        // The next run starts afresh with a record of its own: the stop must not leave the target short of indexes.
        var stop = PsHost
            .Invoke("Stop-DataMigration -ShopwareRoot $root -Force", new Dictionary<string, object?> { ["root"] = site.Root })
            .AssertNoErrors()
            .Objects<RunCancelResult>()
            .Single();

        Assert.True(stop.TablesWithIndexesRebuilt > 0, stop.Summary);
        Assert.Contains("secondary indexes of", stop.Summary);
        Assert.Equal(before, await SecondaryIndexNamesAsync(site.Cluster));
        Assert.Equal(RunStatus.Canceled, State(site).Status);
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Shopware));
        Assert.Empty(Parity(site));
    }

    [Fact]
    public async Task AnInterruptedCopyLeavesTheIndexesRecordedAndTheRerunRebuildsThem()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 20, extraProfile: ", \"deferIndexes\": true" + EveryTable);
        var before = await SecondaryIndexesAsync(site.Cluster);
        await site.Cluster.ExecuteAsync(
            "CREATE TRIGGER deny_statement BEFORE INSERT ON flyokai_statement FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk full (simulated)'"
        );

        Assert.StartsWith("TargetWriteFailed,", Migrate(site, "Cluster").SingleError().FullyQualifiedErrorId);

        Assert.True(await SecondaryIndexesAsync(site.Cluster) < before, "the indexes are dropped while the load runs");
        using (var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(site.Root, "var", "marketplace", "migration.state"))))
        {
            Assert.True(
                state.RootElement.GetProperty("deferredIndexes").EnumerateObject().Any(),
                "the dropped indexes are recorded in the state"
            );
        }

        await site.Cluster.ExecuteAsync("DROP TRIGGER deny_statement");
        Migrate(site, "Cluster").AssertNoErrors();

        Assert.Equal(before, await SecondaryIndexesAsync(site.Cluster));
        Assert.Empty(Parity(site));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }

    [Fact]
    public async Task WithDeferIndexesFalseTheLoadKeepsTheIndexes()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 20, extraProfile: ", \"deferIndexes\": false");
        var before = await SecondaryIndexesAsync(site.Cluster);

        var run = Migrate(site, "Cluster").AssertNoErrors();

        Assert.DoesNotContain(run.Verbose, v => v.Message.Contains("secondary index(es)"));
        Assert.Equal(before, await SecondaryIndexesAsync(site.Cluster));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }

    [Fact]
    public async Task AStoppedCopyDataPlaneRecordsTheDroppedIndexesAndItsRerunRebuildsThem()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 20, extraProfile: EveryTable);
        var before = await SecondaryIndexesAsync(site.Cluster);
        var record = Path.Combine(site.Root, "var", "marketplace", "copy-deferred-indexes.json");
        var copy = "Copy-DataPlane -To Cluster -ShopwareRoot $root -ProfilePath $profile -AllowLiveSource -Force";
        var vars = new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath };
        await site.Cluster.ExecuteAsync(
            "CREATE TRIGGER deny_statement BEFORE INSERT ON flyokai_statement FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk full (simulated)'"
        );

        Assert.StartsWith("TargetWriteFailed,", PsHost.Invoke(copy, vars).SingleError().FullyQualifiedErrorId);

        Assert.True(await SecondaryIndexesAsync(site.Cluster) < before, "the stopped copy left indexes dropped");
        using (var file = JsonDocument.Parse(File.ReadAllText(record)))
        {
            Assert.Contains(file.RootElement.GetProperty("tables").EnumerateObject(), t => t.Name == "flyokai_statement");
        }

        await site.Cluster.ExecuteAsync("DROP TRIGGER deny_statement");
        PsHost.Invoke(copy, vars).AssertNoErrors();

        Assert.Equal(before, await SecondaryIndexesAsync(site.Cluster));
        Assert.False(File.Exists(record), "the record is gone once every index is back");
        Assert.Empty(Parity(site));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }

    [Fact]
    public async Task ACopyIntoAnotherTargetIsRefusedWhileAStoppedCopyLeftIndexesDroppedElsewhere()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 20, extraProfile: EveryTable);
        var rows = await site.Cluster.ScalarAsync("SELECT COUNT(*) FROM flyokai_seller");
        var record = Path.Combine(site.Root, "var", "marketplace", "copy-deferred-indexes.json");
        Directory.CreateDirectory(Path.GetDirectoryName(record)!);
        File.WriteAllText(
            record,
            "{ \"target\": \"other@10.9.9.9:3306/elsewhere\", \"tables\": { \"flyokai_seller\": [ \"KEY `idx_name` (`name`)\" ] } }"
        );

        var error = PsHost
            .Invoke(
                "Copy-DataPlane -To Cluster -ShopwareRoot $root -ProfilePath $profile -AllowLiveSource -Force",
                new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath }
            )
            .SingleError();

        Assert.StartsWith("RunInProgress,", error.FullyQualifiedErrorId);
        Assert.Contains("other@10.9.9.9:3306/elsewhere", error.Exception.Message);
        Assert.Contains(record, error.Exception.Message);
        Assert.Equal(rows, await site.Cluster.ScalarAsync("SELECT COUNT(*) FROM flyokai_seller")); // nothing emptied
        Assert.True(File.Exists(record), "the other target's record stays");
    }

    [Fact]
    public async Task TablesBelowTheThresholdKeepTheirIndexesAndLargerOnesDeferThem()
    {
        // 20 sellers: flyokai_seller_offer_price holds 200 rows, flyokai_seller 20; the threshold sits between them.
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 20, extraProfile: ", \"deferIndexesMinRows\": 100");
        var before = await SecondaryIndexesAsync(site.Cluster);

        var run = Migrate(site, "Cluster").AssertNoErrors();

        var dropped = run
            .Verbose.Where(v => v.Message.Contains("secondary index(es)") && v.Message.Contains("dropped"))
            .Select(v => v.Message)
            .ToList();
        Assert.Contains(dropped, m => m.StartsWith("flyokai_seller_offer_price:", StringComparison.Ordinal));
        Assert.DoesNotContain(dropped, m => m.StartsWith("flyokai_seller:", StringComparison.Ordinal));
        Assert.Equal(before, await SecondaryIndexesAsync(site.Cluster));
        Assert.Empty(Parity(site));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }

    [Fact]
    public async Task ByDefaultASmallShopsLoadChangesNoIndexAndEmptiesOnlyTheTablesThatHoldRows()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 20);
        await site.Cluster.ExecuteAsync(
            "INSERT INTO flyokai_seller_group (id, name, created_at) VALUES (UNHEX(REPLACE(UUID(), '-', '')), 'left over', NOW())"
        );

        var run = Migrate(site, "Cluster").AssertNoErrors();

        Assert.DoesNotContain(run.Verbose, v => v.Message.Contains("secondary index(es)"));
        Assert.Contains(run.Verbose, v => v.Message.StartsWith("Emptied 1 table(s) on ", StringComparison.Ordinal));
        Assert.Contains(run.Warnings, w => w.Message.Contains("flyokai_seller_group ("));
        Assert.Empty(Parity(site));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }
}
