using System;
using System.Collections.Generic;
using System.IO;
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
        "drop_source_tables", "clear_maintenance", "remove_capture",
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
            // The outbox's counter as the source left it (ids of rows deleted or rolled back are never reused).
            Assert.Equal((await source.ScalarAsync(OutboxCounter))?.ToString(), (await (to == "Cluster" ? site.Cluster : site.Shopware).ScalarAsync(OutboxCounter))?.ToString());
            Assert.Equal(0, await CaptureObjectsAsync(site.Shopware));
            Assert.Equal(0, await CaptureObjectsAsync(site.Cluster));
            await AssertSelectorsAsync(site, to.ToLowerInvariant());
            Assert.False(await GateAsync(site));
            Assert.Equal(RunStatus.Completed, State(site).Status);
            foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, run.AllText());
        }
    }

    [Fact]
    public async Task TheCaptureIsRemovedAfterTheGateLiftsSoADropThatMustWaitLeavesTheShopServing()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 10);
        var inHook = Path.Combine(site.Root, "in-hook");
        var go = Path.Combine(site.Root, "go");
        // The hook runs under the gate after the drain proof: the read opened while it waits cannot hold up the proof.
        var hook = $"-CutoverHook {{ [System.IO.File]::WriteAllText('{inHook}', ''); while (-not [System.IO.File]::Exists('{go}')) {{ Start-Sleep -Milliseconds 20 }} }}";
        var run = Task.Run(() => Migrate(site, "Cluster", "-Online -Verbose " + hook));
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(inHook) && !run.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(File.Exists(inHook), "the cutover hook never ran");

        // A long read on an old table (a backup's snapshot, a report) holds its metadata lock: no DROP TRIGGER gets through.
        await using var reader = await site.Shopware.OpenAsync();
        await using (var begin = new MySqlConnector.MySqlCommand("START TRANSACTION; SELECT COUNT(*) FROM flyokai_seller", reader)) await begin.ExecuteScalarAsync();
        File.WriteAllText(go, string.Empty);

        while (RunStateFile.Read(site) is not { } s || s.Steps.Length < 12 || s.Steps[11] != nameof(StepStatus.Running))
        {
            if (run.IsCompleted) Assert.Fail("the run ended before it removed the capture: " + (await run).AllText());
            Assert.True(DateTime.UtcNow < deadline, "the run never reached remove_capture");
            await Task.Delay(20);
        }

        await Task.Delay(1500);   // more than one attempt's lock wait (1 s): the drop is waiting now
        Assert.False(run.IsCompleted);
        Assert.False(await GateAsync(site));   // the shop is served (from the cluster) while the old source's triggers wait to go
        await AssertSelectorsAsync(site, "cluster");
        Assert.True(await CaptureObjectsAsync(site.Shopware) > 0);
        // Past its lift the run holds no gate: lifting it by hand (a no-op now) is not refused as GateHeldByRun.
        PsHost.Invoke("Clear-MaintenanceGate -ShopwareRoot $root -Confirm:$false", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();

        await using (var commit = new MySqlConnector.MySqlCommand("COMMIT", reader)) await commit.ExecuteNonQueryAsync();
        var result = (await run).AssertNoErrors();
        Assert.Equal(OnlineStepNames, result.Objects<StepResult>().Select(s => s.Step));
        Assert.Equal(RunStatus.Completed, State(site).Status);
        Assert.Equal(0, await CaptureObjectsAsync(site.Shopware));
        Assert.Contains("metadata lock was busy", result.AllText());
        Assert.False(await GateAsync(site));
    }
}
