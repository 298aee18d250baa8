using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using System.Collections.Generic;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// What the online gate compares: a range the verification while live could not settle is narrowed to its 1,000-row
/// range, kept in the state, and compared again under the gate, where a real difference stops the run with the gate set.
/// </summary>
public sealed class OnlineGateVerificationTests
{
    /// <summary>Tables of the test shop that grow past one narrowed range (1,000 rows at 400 sellers), and a column to change in each.</summary>
    private static readonly (string Table, string Column)[] Candidates =
    {
        ("flyokai_seller_offer_price", "price"), ("flyokai_purchase_order_line", "quantity"), ("flyokai_seller_offer", "stock"),
        ("flyokai_seller_offer_stock", "quantity"), ("flyokai_purchase_order", "total_net"), ("flyokai_statement_line", "amount"),
    };

    /// <summary>A candidate table the live copy has finished while another still has at least 2,000 rows to go (seconds at the throttle's rate).</summary>
    private static (string Table, string Column)? FinishedEarly(ShopwareSite site)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(RunStateFile.PathOf(site)));
            if (!state.RootElement.TryGetProperty("copy", out var copy) || copy.ValueKind != JsonValueKind.Array) return null;
            var tables = copy.EnumerateArray().Select(t => (Name: t.GetProperty("table").GetString()!, Done: t.GetProperty("complete").GetBoolean(),
                Copied: t.GetProperty("rowsCopied").GetInt64(), Planned: t.GetProperty("rowsPlanned").GetInt64())).ToList();
            if (!tables.Any(t => !t.Done && t.Planned - t.Copied >= 2000)) return null;
            var done = tables.Where(t => t.Done && t.Copied > 1000).Select(t => t.Name).ToList();
            return Candidates.Where(c => done.Contains(c.Table)).Select(c => ((string, string)?)c).FirstOrDefault();
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    [Fact]
    public async Task ARowThatNeverSettlesWhileLiveIsLeftAsItsRangeAndStopsTheRunUnderTheGate()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        // Several tables past one narrowed range; a throttled copy leaves time to change the target behind its back.
        await site.WithClusterAsync(sellers: 400, extraProfile: ", \"throttle\": { \"maxRowsPerSecond\": 2000 }");
        var output = new System.Text.StringBuilder();
        using var child = KillTests.StartChild(site, "Cluster", output, "-Online");

        // Once the live copy has finished one such table, and before the verification while live: its last row changed on
        // the target, which no replay can mend (a change the capture does not see).
        var deadline = DateTime.UtcNow.AddSeconds(120);
        (string Table, string Column)? chosen;
        while ((chosen = FinishedEarly(site)) is null)
        {
            Assert.False(child.HasExited, "the run ended before a table was copied: " + output);
            Assert.True(DateTime.UtcNow < deadline, "no table was copied within 120 s: " + output);
            await Task.Delay(50);
        }

        var (table, column) = chosen.Value;
        var keys = string.Join(" DESC, ", (await site.Cluster.ScalarAsync(
            $"SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' AND INDEX_NAME = 'PRIMARY'"))!.ToString()!.Split(','));
        await site.Cluster.ExecuteAsync($"UPDATE {table} SET {column} = {column} + 1 ORDER BY {keys} DESC LIMIT 1");
        Assert.False(RunStateFile.Read(site)!.Done(3), "the live copy (and so the verification after it) was over before the target changed");
        Assert.True(KillTests.Ended(child, 180_000), "the run did not end: " + output);
        var text = output.ToString();

        Assert.NotEqual(0, child.ExitCode);
        Assert.Contains("ChecksumMismatch", text);
        Assert.Contains($"{table}: 1 key range(s) different", text);
        Assert.True(await GateAsync(site), "a difference under the gate must leave the gate set");
        await AssertSelectorsAsync(site, "shopware");
        using (var state = JsonDocument.Parse(File.ReadAllText(RunStateFile.PathOf(site))))
        {
            // Narrowed: the last range of the table, not the table.
            var online = state.RootElement.GetProperty("online");
            var ranges = online.GetProperty("unsettledRanges");
            Assert.Equal(table, Assert.Single(ranges.EnumerateObject()).Name);
            var range = Assert.Single(ranges.GetProperty(table).EnumerateArray());
            Assert.Equal(JsonValueKind.Array, range.GetProperty("lower").ValueKind);   // it starts after a key: not the whole table
            Assert.Empty(online.GetProperty("unsettledTables").EnumerateArray());
        }

        Assert.Equal(StepStatus.Failed, State(site).Steps.Single(s => s.Step == FinalSyncStep.StepName).Status);

        // The rerun copies the differing table again behind the gate, verifies it, and ends with every row equal.
        Migrate(site, "Cluster", "-Online").AssertNoErrors();
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Shopware));
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
    }
}
