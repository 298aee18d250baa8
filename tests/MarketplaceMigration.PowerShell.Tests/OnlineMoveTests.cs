using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>Online moves (-Online) while a writer keeps the source busy: both directions, every row equal by an independent compare, no capture left behind.</summary>
public sealed class OnlineMoveTests
{
    internal static readonly string[] OnlineStepNames =
    {
        "schema_check", "capture_changes", "copy_live", "catch_up", "set_maintenance", "final_sync", "flip_data_location", "restart_cluster", "smoke_test",
        "remove_capture", "drop_source_tables", "clear_maintenance",
    };

    internal static async Task<long> CaptureObjectsAsync(TestDatabase db)
        => Convert.ToInt64(await db.ScalarAsync(
            "SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE '\\_mm\\_%') "
            + "+ (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_mm\\_%')"), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task MovesOnlineThereAndBackWhileTheShopWritesWithEveryRowEqual()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        // Small chunks: the copy takes seconds, so the shop's writes land in every online phase, not just before or after.
        await site.WithClusterAsync(sellers: 30, extraProfile: ", \"chunkRows\": 25");
        var tables = ShopwareSite.Tables(typeProbe: false);

        foreach (var (to, source) in new[] { ("Cluster", site.Shopware), ("Shopware", site.Cluster) })
        {
            var writer = await LiveWriter.StartAsync(source, site.Shopware, perSecond: 200);
            var run = await Task.Run(() => Migrate(site, to, "-Online -Verbose"));
            await writer.StopAsync();
            run.AssertNoErrors();

            var steps = run.Objects<StepResult>().ToList();
            Assert.Equal(OnlineStepNames, steps.Select(s => s.Step));
            Assert.Equal(Enumerable.Range(1, 12), steps.Select(s => s.Number));
            Assert.All(steps.Where(s => s.Step != "drop_source_tables"), s => Assert.Equal(StepStatus.Succeeded, s.Status));
            // The writer ran through the copy and was stopped by the gate, not by the end of the test.
            Assert.NotNull(writer.GateSeenAt);
            Assert.True(writer.Committed > 100, $"only {writer.Committed} transactions committed during the online move");
            foreach (var kind in new[] { "update", "insert", "delete", "key-change", "cascade-delete", "unique-move", "insert-tree" })
            {
                Assert.True(writer.Counts.ContainsKey(kind), $"the writer made no {kind} during the move ({string.Join(", ", writer.Counts.Select(c => c.Key + "=" + c.Value))})");
            }

            Assert.True(long.Parse(steps.Single(s => s.Step == "catch_up").Details["EntriesReplayed"], System.Globalization.CultureInfo.InvariantCulture) > 0);
            var rows = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, tables);
            Assert.True(rows > 1000);
            Assert.Equal(0, await CaptureObjectsAsync(site.Shopware));
            Assert.Equal(0, await CaptureObjectsAsync(site.Cluster));
            await AssertSelectorsAsync(site, to.ToLowerInvariant());
            Assert.False(await GateAsync(site));
            Assert.Equal(RunStatus.Completed, State(site).Status);
            foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, run.AllText());
        }
    }
}
