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

/// <summary>The pause before cutover, its approval from another process, the cutover hook, and Stop-DataMigration.</summary>
public sealed class OnlineControlTests
{
    internal static async Task WaitForApprovalAsync(ShopwareSite site, System.Diagnostics.Process child, System.Text.StringBuilder output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(child.HasExited, "the paused run ended by itself: " + output);
            var state = PsHost.Invoke("Get-MigrationState -ShopwareRoot $root", new Dictionary<string, object?> { ["root"] = site.Root }).Objects<MigrationRunState>().SingleOrDefault();
            if (state is { WaitingForApproval: true }) return;
            await Task.Delay(200);
        }

        throw new TimeoutException("the online run did not reach its pause before the cutover within 120 s: " + output);
    }

    /// <summary>
    /// While paused, the changelogs keep only what changed since the last verification of every row: within 30 s of the pause
    /// no entry of a round up to the state file's mark is left (the shop wrote before it, so such entries were there).
    /// </summary>
    private static async Task AssertForgottenAsync(ShopwareSite site)
    {
        var changelogs = ShopwareSite.Tables(typeProbe: false).Select(t => "`" + Engine.Online.CaptureNames.Changelog(t) + "`").ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long mark = 0, left = -1, replayed = 0;
        while (DateTime.UtcNow < deadline)
        {
            using (var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RunStateFile.PathOf(site))))
            {
                var online = state.RootElement.GetProperty("online");
                mark = online.GetProperty("verifiedFromRound").GetInt64();
                replayed = online.GetProperty("entriesReplayed").GetInt64();
            }

            left = 0;
            foreach (var changelog in changelogs)
                left += Convert.ToInt64(await site.Shopware.ScalarAsync($"SELECT COUNT(*) FROM {changelog} WHERE `_mm_round` BETWEEN 1 AND {mark}"), System.Globalization.CultureInfo.InvariantCulture);
            if (left == 0) break;
            await Task.Delay(250);
        }

        Assert.True(mark > 0 && replayed > 0, $"nothing was replayed before the mark (round {mark}, {replayed} entries): the check proves nothing");
        Assert.True(left == 0, $"{left} changelog entries of rounds up to {mark}, verified since, are still kept 30 s into the pause");
    }

    [Fact]
    public async Task APausedRunWaitsForTheApprovalOfAnotherProcessAndAFailingHookFlipsNothing()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 30);
        var allow = Path.Combine(site.Root, "hook.allow");
        var extra = $"-Online -PauseBeforeCutover -CutoverHook {{ if (-not [System.IO.File]::Exists('{allow}')) {{ throw 'the shop team has not said go' }} }}";
        var writer = await LiveWriter.StartAsync(site.Shopware, site.Shopware, perSecond: 100);
        var output = new System.Text.StringBuilder();
        using var child = KillTests.StartChild(site, "Cluster", output, extra);

        await WaitForApprovalAsync(site, child, output);
        var waiting = State(site);
        Assert.True(waiting.Online);
        Assert.True(waiting.CaptureInstalled);
        Assert.NotNull(waiting.LastVerifiedAt);
        Assert.True(waiting.SecondsBehind < 10, $"{waiting.SecondsBehind} s behind while paused");
        Assert.Equal("4 catch_up", waiting.NextStep);
        await AssertForgottenAsync(site);
        await Task.Delay(1500);
        Assert.False(child.HasExited);
        Assert.False(await GateAsync(site), "the gate was set before the cutover was approved");
        var during = writer.Committed;

        PsHost.Invoke("Approve-DataMigrationCutover -ShopwareRoot $root", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();
        Assert.True(KillTests.Ended(child, 120_000), "the approved run did not end");
        Assert.NotEqual(0, child.ExitCode);
        Assert.Contains("CutoverHookFailed", output.ToString());
        Assert.Contains("the shop team has not said go", output.ToString());
        Assert.True(writer.Committed > during, "the writer made no write while the run was paused");
        Assert.True(await GateAsync(site), "a failing hook must leave the gate set");
        await AssertSelectorsAsync(site, "shopware");
        var failed = State(site);
        Assert.Equal(StepStatus.Failed, failed.Steps.Single(s => s.Step == FinalSyncStep.StepName).Status);
        Assert.Null(failed.FlipTo);

        File.WriteAllText(allow, "go");
        var rerun = Migrate(site, "Cluster", extra).AssertNoErrors();
        await writer.StopAsync();
        var steps = rerun.Objects<StepResult>().ToList();
        Assert.Equal(2, steps.Single(s => s.Step == FinalSyncStep.StepName).Attempts);
        Assert.All(steps.Take(5), s => Assert.False(s.Executed));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Shopware));
        Assert.False(File.Exists(Path.Combine(site.Root, "var", "marketplace", "cutover.approve")), "the approval outlived its run");
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
    }

    [Fact]
    public async Task StopDataMigrationEndsAPausedRunFromAnotherProcessAndLeavesTheSourceAsItWas()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 20);
        var writer = await LiveWriter.StartAsync(site.Shopware, site.Shopware, perSecond: 100);
        var output = new System.Text.StringBuilder();
        using var child = KillTests.StartChild(site, "Cluster", output, "-Online -PauseBeforeCutover");
        await WaitForApprovalAsync(site, child, output);
        Assert.True(await OnlineMoveTests.CaptureObjectsAsync(site.Shopware) > 0);

        var stop = PsHost.Invoke("Stop-DataMigration -ShopwareRoot $root -Force", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();

        var result = stop.Objects<RunCancelResult>().Single();
        Assert.True(result.TriggersRemoved >= 66, $"{result.TriggersRemoved} triggers removed");
        Assert.Equal(22, result.ChangelogsRemoved);
        Assert.False(result.GateLifted);
        Assert.True(KillTests.Ended(child, 60_000));
        Assert.Contains("StoppedByOperator", output.ToString());
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Shopware));
        Assert.False(await GateAsync(site));
        await AssertSelectorsAsync(site, "shopware");
        Assert.Equal(RunStatus.Canceled, State(site).Status);
        var before = writer.Committed;
        await Task.Delay(500);
        Assert.True(writer.Committed > before, "the shop's writes stopped after Stop-DataMigration");
        await writer.StopAsync();

        // Nothing of the stopped run is left in the way: a new (offline) move starts afresh and finishes.
        Migrate(site, "Cluster").AssertNoErrors();
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));

        var again = PsHost.Invoke("Stop-DataMigration -ShopwareRoot $root -Force", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors().Objects<RunCancelResult>().Single();
        Assert.Null(again.RunId);
        Assert.Equal(0, again.TriggersRemoved);
    }

    /// <summary>Rewrites one row as fast as it can, each write in its own transaction that reads the gate first (as the shop does), until the gate is set.</summary>
    private static async Task<int> HotRowAsync(ShopwareSite site, byte[] id)
    {
        await using var data = new MySqlConnector.MySqlConnection(site.Shopware.ConnectionString);
        await data.OpenAsync();
        for (var n = 0; ; n++)
        {
            await using var transaction = await data.BeginTransactionAsync();
            await using (var gate = new MySqlConnector.MySqlCommand("SELECT CAST(configuration_value AS CHAR) FROM system_config WHERE configuration_key = 'FlyokaiMarketplaceRemote.config.maintenance' AND sales_channel_id IS NULL", data, transaction))
            {
                if ((await gate.ExecuteScalarAsync() as string ?? string.Empty).Replace(" ", string.Empty).Contains("true"))
                    return n;
            }

            await using (var update = new MySqlConnector.MySqlCommand("UPDATE flyokai_seller_offer SET stock = stock + 1 WHERE id = @id", data, transaction))
            {
                update.Parameters.AddWithValue("@id", id);
                await update.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }

    [Fact]
    public async Task ARowTheShopKeepsRewritingIsCarriedSoTheFreezeVerifiesOnlyTheLastChanges()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 400);
        var output = new System.Text.StringBuilder();
        using var child = KillTests.StartChild(site, "Cluster", output, "-Online -PauseBeforeCutover");
        await WaitForApprovalAsync(site, child, output);

        // After the verification while live: 1,500 rows change at once (more than the freeze may be left), and one row is
        // rewritten without pause, so every check of the changed rows finds it different, even right after a replay.
        await site.Shopware.ExecuteAsync("UPDATE flyokai_seller_offer SET stock = stock + 1 ORDER BY id LIMIT 1500");
        var hot = (byte[])(await site.Shopware.ScalarAsync("SELECT id FROM flyokai_seller_offer ORDER BY id DESC LIMIT 1"))!;
        var rewriter = Task.Run(() => HotRowAsync(site, hot));
        await Task.Delay(300);

        PsHost.Invoke("Approve-DataMigrationCutover -ShopwareRoot $root", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();
        Assert.True(KillTests.Ended(child, 120_000), "the approved run did not end: " + output);
        Assert.True(child.ExitCode == 0, "the run failed: " + output);
        Assert.True(await rewriter.WaitAsync(TimeSpan.FromSeconds(30)) > 10, "the row was not rewritten while the run went on");

        // The check while live verified the 1,500 rows and carried the hot one: the freeze compared the hot row and the few
        // changed since, not every row changed since the verification pass (before, the one row in flux held the mark back).
        using (var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RunStateFile.PathOf(site))))
        {
            var details = state.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == FinalSyncStep.StepName).GetProperty("details");
            var verified = long.Parse(details.GetProperty("KeysVerified").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(verified is >= 1 and < 1000, $"the freeze verified {verified} changed row(s): " + output);
        }

        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Shopware));
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
    }
}
