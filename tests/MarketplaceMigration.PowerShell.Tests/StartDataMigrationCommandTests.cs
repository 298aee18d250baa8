using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.PowerShell.Tests;

public sealed class StartDataMigrationCommandTests
{
    /// <summary>The next id of the data plane's one AUTO_INCREMENT table (the mail outbox).</summary>
    internal const string OutboxCounter = "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'flyokai_mail_pending_send'";

    internal static PsRun Migrate(ShopwareSite site, string to, string extra = "")
        => PsHost.Invoke($"Start-DataMigration -To {to} -ShopwareRoot $root -ProfilePath $profile -Force {extra}",
            new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath }, allStreams: true);

    internal static async Task AssertSelectorsAsync(ShopwareSite site, string location)
    {
        Assert.Equal($"{{\"_value\":\"{location}\"}}", (await site.Shopware.ScalarAsync("SELECT CAST(configuration_value AS CHAR) FROM system_config WHERE configuration_key = 'FlyokaiMarketplaceRemote.config.dataLocation'"))?.ToString()?.Replace(" ", ""));
        Assert.Contains($"\"active\": \"{location}\"", File.ReadAllText(site.ClusterConfigPath));
    }

    internal static MigrationRunState State(ShopwareSite site)
        => PsHost.Invoke("Get-MigrationState -ShopwareRoot $root", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors().Objects<MigrationRunState>().Single();

    internal static async Task<bool> GateAsync(ShopwareSite site)
        => (await site.Shopware.ScalarAsync("SELECT CAST(configuration_value AS CHAR) FROM system_config WHERE configuration_key = 'FlyokaiMarketplaceRemote.config.maintenance'"))?.ToString()?.Replace(" ", "") == "{\"_value\":true}";

    [Fact]
    public async Task MovesToTheClusterAndBackWithEveryRowEqual()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 30, typeProbe: true);
        var tables = ShopwareSite.Tables(typeProbe: true);

        var toCluster = Migrate(site, "Cluster").AssertNoErrors();

        var steps = toCluster.Objects<StepResult>().ToList();
        Assert.Equal(Enumerable.Range(1, 10), steps.Select(s => s.Number));
        Assert.Equal(new[] { "schema_check", "set_maintenance", "dump_tables", "import_tables", "integrity_check", "flip_data_location", "restart_cluster", "smoke_test", "drop_source_tables", "clear_maintenance" }, steps.Select(s => s.Step));
        Assert.All(steps.Where(s => s.Number != 9), s => Assert.Equal(StepStatus.Succeeded, s.Status));
        Assert.Equal(StepStatus.Skipped, steps[8].Status);
        var rows = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, tables);
        Assert.Equal(rows.ToString(System.Globalization.CultureInfo.InvariantCulture), steps[3].Details["RowsCopied"]);
        Assert.Equal("30", steps[7].Details["Sellers"]);
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        Assert.Equal("13", (await site.Shopware.ScalarAsync(OutboxCounter))?.ToString());
        Assert.Equal("13", (await site.Cluster.ScalarAsync(OutboxCounter))?.ToString());   // not max(id)+1 = 10: deleted ids are never reused
        Assert.Contains(toCluster.Progress, p => p.Activity.StartsWith("import_tables: flyokai_seller"));
        // The run's own progress shows something at once, then the step now running (before its result exists).
        var runProgress = toCluster.Progress.Where(p => p.ActivityId == 1 && p.RecordType == System.Management.Automation.ProgressRecordType.Processing).Select(p => p.StatusDescription).ToList();
        Assert.Equal("Reading the settings and the run's state", runProgress[0]);
        Assert.Equal(Enumerable.Range(1, 10).Where(n => n != 9).Select(n => $"Step {n} {steps[n - 1].Step}"), runProgress.Skip(1));
        foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, toCluster.AllText());

        var state = PsHost.Invoke("Get-MigrationState -ShopwareRoot $root", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors().Objects<MigrationRunState>().Single();
        Assert.Equal(RunStatus.Completed, state.Status);
        Assert.Equal(9, state.Steps.Count(s => s.Status == StepStatus.Succeeded));
        var stateFile = File.ReadAllText(Path.Combine(site.Root, "var", "marketplace", "migration.state"));
        foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, stateFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(site.Root, "var", "marketplace", "migration.state")));

        // Rows written on the cluster after the move must come back.
        await site.Cluster.ExecuteAsync("UPDATE flyokai_seller SET status = 'inactive' WHERE slug = 'seller-1'; DELETE FROM flyokai_seller_offer_stock WHERE quantity = 7");
        var toShopware = Migrate(site, "Shopware", "-DropSource").AssertNoErrors();

        Assert.All(toShopware.Objects<StepResult>(), s => Assert.Equal(StepStatus.Succeeded, s.Status));
        Assert.Equal("inactive", await site.Shopware.ScalarAsync("SELECT status FROM flyokai_seller WHERE slug = 'seller-1'"));
        await AssertSelectorsAsync(site, "shopware");
        Assert.False(await GateAsync(site));
        foreach (var table in tables) Assert.Equal(0, await IndependentCompare.CountAsync(site.Cluster, table));
        Assert.True(await IndependentCompare.CountAsync(site.Shopware, "flyokai_seller") == 30);
    }

    [Fact]
    public async Task RowsTheTargetHeldAreReportedAsDiscardedInTheWarningsTheStepResultAndTheState()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 4);
        // A stale copy left on the target: a rehearsal's, or an earlier move's.
        await site.Cluster.ExecuteAsync("SET FOREIGN_KEY_CHECKS = 0; INSERT INTO flyokai_mail_pending_send (id, mail_id) VALUES (901, UNHEX(REPEAT('ab', 16))), (902, UNHEX(REPEAT('cd', 16))), (903, UNHEX(REPEAT('ef', 16)))");

        var run = Migrate(site, "Cluster").AssertNoErrors();

        Assert.Contains(run.Warnings, w => w.Message.Contains("already held rows") && w.Message.Contains("flyokai_mail_pending_send (3)") && w.Message.Contains("discarded"));
        var import = run.Objects<StepResult>().Single(s => s.Step == "import_tables");
        Assert.Equal("flyokai_mail_pending_send (3)", import.Details["TargetRowsDiscarded"]);
        Assert.Equal("flyokai_mail_pending_send (3)", State(site).Steps.Single(s => s.Step == "import_tables").Details["TargetRowsDiscarded"]);
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }
}
