using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Schema;
using MarketplaceMigration.Engine.SchemaMigrations;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>New-, Get- and Invoke-SchemaMigration on two real servers: order, skip, -Until, destructive parts, drift, locking, failures, -FromParity, -WhatIf.</summary>
public sealed class SchemaMigrationCommandTests
{
    private static string Project(ShopwareSite site) => Path.Combine(site.Root, "migrations");

    private static string Plugin(ShopwareSite site) => Path.Combine(site.Root, "plugins", "SellerRating", "migrations");

    private static string Write(string source, string version, string name, string update, string destructive = "", string endpoint = "Both")
    {
        Directory.CreateDirectory(source);
        var path = Path.Combine(source, $"Migration{version}{name}.sql");
        File.WriteAllText(path, $"-- @endpoint: {endpoint}\n-- @update\n{update}\n-- @updateDestructive\n{destructive}\n");
        return path;
    }

    private static PsRun Run(ShopwareSite site, string command, string sources = "$project")
        => PsHost.Invoke($"{command} -ShopwareRoot $root -Source {sources}",
            new Dictionary<string, object?> { ["root"] = site.Root, ["project"] = Project(site), ["plugin"] = Plugin(site) }, allStreams: true);

    private static async Task<bool> ColumnExistsAsync(TestDatabase db, string table, string column)
        => Convert.ToInt64(await db.ScalarAsync($"SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' AND COLUMN_NAME = '{column}'")) == 1;

    private static Dictionary<string, SchemaMigrationState> States(PsRun run, string endpoint)
        => run.AssertNoErrors().Objects<SchemaMigrationStatus>().Where(s => s.Endpoint == endpoint).ToDictionary(s => s.Name, s => s.State);

    [Fact]
    public async Task NewSchemaMigrationWritesATimestampedFileWithBothParts()
    {
        await using var site = await ShopwareSite.CreateAsync();
        var run = PsHost.Invoke("New-SchemaMigration -Name AddSellerRating -Source $source", new Dictionary<string, object?> { ["source"] = Project(site) }).AssertNoErrors();

        var file = run.Objects<FileInfo>().Single();
        Assert.Matches(@"^Migration\d{14}AddSellerRating\.sql$", file.Name);
        var parsed = SchemaMigrationFile.Read(file.FullName, Project(site));
        Assert.Empty(parsed.Update);
        Assert.Contains("-- @updateDestructive", File.ReadAllText(file.FullName));
        var bad = PsHost.Invoke("New-SchemaMigration -Name 'add rating!' -Source $source", new Dictionary<string, object?> { ["source"] = Project(site) });
        Assert.StartsWith("SchemaMigrationInvalid,", bad.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public async Task AnOlderMigrationInstalledLaterRunsAfterThoseAppliedAndTheLockFileKeepsTheOrder()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        Write(Project(site), "20260101000000", "AddA", "ALTER TABLE flyokai_seller ADD COLUMN mig_a INT NULL;");
        Write(Project(site), "20260301000000", "AddC", "ALTER TABLE flyokai_seller ADD COLUMN mig_c INT NULL AFTER mig_a;");
        var first = Run(site, "Invoke-SchemaMigration").AssertNoErrors().Objects<SchemaMigrationResult>().ToList();
        Assert.Equal(new[] { "AddA", "AddC", "AddA", "AddC" }, first.Select(r => r.Name));
        Assert.Equal(new[] { "Shopware", "Shopware", "Cluster", "Cluster" }, first.Select(r => r.Endpoint));

        // A plugin installed later brings a migration dated between the two: it runs last, here and everywhere the lock file goes.
        Write(Plugin(site), "20260201000000", "AddB", "ALTER TABLE flyokai_seller ADD COLUMN mig_b INT NULL AFTER mig_c;");
        var second = Run(site, "Invoke-SchemaMigration", "$project, $plugin").AssertNoErrors().Objects<SchemaMigrationResult>().ToList();

        Assert.Equal(new[] { "AddB", "AddB" }, second.Select(r => r.Name));
        var lockText = File.ReadAllText(Path.Combine(site.Root, "migrations-lock.yml"));
        Assert.True(lockText.IndexOf("20260101000000", StringComparison.Ordinal) < lockText.IndexOf("20260301000000", StringComparison.Ordinal));
        Assert.True(lockText.IndexOf("20260301000000", StringComparison.Ordinal) < lockText.IndexOf("20260201000000", StringComparison.Ordinal));
        var status = Run(site, "Get-SchemaMigration", "$project, $plugin").AssertNoErrors().Objects<SchemaMigrationStatus>().Where(s => s.Endpoint == "Cluster").ToList();
        Assert.Equal(new[] { "AddA", "AddC", "AddB" }, status.Select(s => s.Name));
        Assert.All(status, s => Assert.Equal(SchemaMigrationState.Applied, s.State));

        // A fresh pair of databases with the committed lock file runs them in the lock's order (B after C: its AFTER mig_c needs C).
        await using var fresh = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        foreach (var (dir, target) in new[] { (Project(site), Project(fresh)), (Plugin(site), Plugin(fresh)) })
        {
            Directory.CreateDirectory(target);
            foreach (var f in Directory.GetFiles(dir)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }

        File.Copy(Path.Combine(site.Root, "migrations-lock.yml"), Path.Combine(fresh.Root, "migrations-lock.yml"));
        var replay = Run(fresh, "Invoke-SchemaMigration -Endpoint Cluster", "$project, $plugin").AssertNoErrors().Objects<SchemaMigrationResult>();
        Assert.Equal(new[] { "AddA", "AddC", "AddB" }, replay.Select(r => r.Name));
    }

    [Fact]
    public async Task ASkippedMigrationNeverRunsAndUntilStopsAtATimestamp()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        Write(Project(site), "20260101000000", "AddA", "ALTER TABLE flyokai_seller ADD COLUMN mig_a INT NULL;");
        Write(Project(site), "20260102000000", "AddSkipped", "ALTER TABLE flyokai_seller ADD COLUMN mig_skipped INT NULL;");
        Write(Project(site), "20260103000000", "AddLater", "ALTER TABLE flyokai_seller ADD COLUMN mig_later INT NULL;");
        File.WriteAllText(Path.Combine(site.Root, "migrations-lock.yml"), "\"20260102000000\":\n  name: AddSkipped\n  skip: true\n");

        var until = Run(site, "Invoke-SchemaMigration -Endpoint Shopware -Until 20260102235959").AssertNoErrors().Objects<SchemaMigrationResult>();

        Assert.Equal(new[] { "AddA" }, until.Select(r => r.Name));
        var states = States(Run(site, "Get-SchemaMigration -Endpoint Shopware"), "Shopware");
        Assert.Equal(SchemaMigrationState.Applied, states["AddA"]);
        Assert.Equal(SchemaMigrationState.Skipped, states["AddSkipped"]);
        Assert.Equal(SchemaMigrationState.Pending, states["AddLater"]);
        Assert.False(await ColumnExistsAsync(site.Shopware, "flyokai_seller", "mig_skipped"));
        Assert.False(await ColumnExistsAsync(site.Shopware, "flyokai_seller", "mig_later"));
        Assert.False(await ColumnExistsAsync(site.Cluster, "flyokai_seller", "mig_a"));     // -Endpoint Shopware only

        Run(site, "Invoke-SchemaMigration -Endpoint Shopware").AssertNoErrors();
        Assert.True(await ColumnExistsAsync(site.Shopware, "flyokai_seller", "mig_later"));
        Assert.False(await ColumnExistsAsync(site.Shopware, "flyokai_seller", "mig_skipped"));
        var bad = Run(site, "Invoke-SchemaMigration -Until 2026");
        Assert.StartsWith("SchemaMigrationInvalid,", bad.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public async Task TheDestructivePartRunsOnlyOnDemand()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.Cluster.ExecuteAsync("ALTER TABLE flyokai_seller ADD COLUMN legacy_note VARCHAR(20) NULL");
        Write(Project(site), "20260101000000", "ReplaceLegacyNote", "ALTER TABLE flyokai_seller ADD COLUMN note VARCHAR(40) NULL;\nUPDATE flyokai_seller SET note = legacy_note;",
            "ALTER TABLE flyokai_seller DROP COLUMN legacy_note;", endpoint: "Cluster");

        Run(site, "Invoke-SchemaMigration").AssertNoErrors();

        Assert.True(await ColumnExistsAsync(site.Cluster, "flyokai_seller", "note"));
        Assert.True(await ColumnExistsAsync(site.Cluster, "flyokai_seller", "legacy_note"));
        Assert.False(await ColumnExistsAsync(site.Shopware, "flyokai_seller", "note"));     // -- @endpoint: Cluster
        var states = Run(site, "Get-SchemaMigration").AssertNoErrors().Objects<SchemaMigrationStatus>().ToList();
        Assert.Equal(SchemaMigrationState.DestructivePending, states.Single(s => s.Endpoint == "Cluster").State);
        Assert.Equal(SchemaMigrationState.NotForEndpoint, states.Single(s => s.Endpoint == "Shopware").State);

        var destructive = Run(site, "Invoke-SchemaMigration -Destructive -Force").AssertNoErrors().Objects<SchemaMigrationResult>().ToList();

        Assert.Equal("updateDestructive", destructive.Single().Part);
        Assert.False(await ColumnExistsAsync(site.Cluster, "flyokai_seller", "legacy_note"));
        Assert.Equal(SchemaMigrationState.Applied, States(Run(site, "Get-SchemaMigration -Endpoint Cluster"), "Cluster")["ReplaceLegacyNote"]);
    }

    [Fact]
    public async Task AnAppliedMigrationWhoseFileChangedIsReportedAndNeverRunAgain()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        var path = Write(Project(site), "20260101000000", "AddA", "ALTER TABLE flyokai_seller ADD COLUMN mig_a INT NULL;");
        Run(site, "Invoke-SchemaMigration -Endpoint Cluster").AssertNoErrors();
        File.WriteAllText(path, File.ReadAllText(path).Replace("INT NULL", "BIGINT NULL"));

        var status = Run(site, "Get-SchemaMigration -Endpoint Cluster").AssertNoErrors().Objects<SchemaMigrationStatus>().Single();
        var rerun = Run(site, "Invoke-SchemaMigration -Endpoint Cluster").AssertNoErrors();

        Assert.Equal(SchemaMigrationState.ChangedAfterApply, status.State);
        Assert.Contains("not run again", status.Message);
        Assert.Empty(rerun.Objects<SchemaMigrationResult>());
        Assert.Contains(rerun.Warnings, w => w.Message.Contains("changed after it was applied"));
        Assert.Equal("int", (await site.Cluster.ScalarAsync("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'flyokai_seller' AND COLUMN_NAME = 'mig_a'"))?.ToString());
    }

    [Fact]
    public async Task AConcurrentRunIsRefused()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        Write(Project(site), "20260101000000", "AddA", "ALTER TABLE flyokai_seller ADD COLUMN mig_a INT NULL;");
        await using var other = new MySqlConnection(site.Cluster.Server.ConnectionString(site.Cluster.Name) + ";Pooling=false");
        await other.OpenAsync();
        await using (var hold = new MySqlCommand("SELECT GET_LOCK(CONCAT('MarketplaceMigration:schema:', DATABASE()), 0)", other)) Assert.Equal(1L, Convert.ToInt64(await hold.ExecuteScalarAsync()));

        var refused = Run(site, "Invoke-SchemaMigration -Endpoint Cluster");

        var error = refused.SingleError();
        Assert.StartsWith("SchemaMigrationInProgress,", error.FullyQualifiedErrorId);
        Assert.Contains("wait for it to finish", error.Exception.Message);
        Assert.False(await ColumnExistsAsync(site.Cluster, "flyokai_seller", "mig_a"));
    }

    [Fact]
    public async Task AFailingStatementIsRecordedWhereItStoppedAndTheRerunAfterAFixFinishesWithoutRepeatingTheRest()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        var path = Write(Project(site), "20260101000000", "AddRating",
            "ALTER TABLE flyokai_seller ADD COLUMN rating DECIMAL(3,2) NULL;\nALTER TABLE flyokai_sellers ADD INDEX idx_rating (rating);\nUPDATE flyokai_seller SET rating = 5;", endpoint: "Cluster");

        var failed = Run(site, "Invoke-SchemaMigration -Endpoint Cluster");

        var error = failed.SingleError();
        Assert.StartsWith("SchemaMigrationFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("20260101000000AddRating", error.Exception.Message);
        Assert.Contains("statement 2 of 3", error.Exception.Message);
        Assert.Contains("flyokai_sellers", error.Exception.Message);           // the statement
        Assert.Contains("doesn't exist", error.Exception.Message);             // the server's message
        Assert.Contains("continues at statement 2", error.Exception.Message);
        var status = Run(site, "Get-SchemaMigration -Endpoint Cluster").AssertNoErrors().Objects<SchemaMigrationStatus>().Single();
        Assert.Equal(SchemaMigrationState.Failed, status.State);
        Assert.Equal(2, status.Statement);
        Assert.True(await ColumnExistsAsync(site.Cluster, "flyokai_seller", "rating"));     // statement 1 committed

        File.WriteAllText(path, File.ReadAllText(path).Replace("flyokai_sellers", "flyokai_seller"));
        var rerun = Run(site, "Invoke-SchemaMigration -Endpoint Cluster").AssertNoErrors().Objects<SchemaMigrationResult>().Single();

        Assert.Equal(2, rerun.FirstStatement);                 // statement 1 (ADD COLUMN) would fail if it ran again
        Assert.Equal(2, rerun.Statements);
        Assert.Equal(SchemaMigrationState.Applied, States(Run(site, "Get-SchemaMigration -Endpoint Cluster"), "Cluster")["AddRating"]);

        // Editing a statement that already ran of a failed migration is refused, not silently skipped.
        var second = Write(Project(site), "20260102000000", "Twice", "ALTER TABLE flyokai_seller ADD COLUMN twice INT NULL;\nALTER TABLE nope ADD COLUMN x INT;", endpoint: "Cluster");
        Assert.StartsWith("SchemaMigrationFailed,", Run(site, "Invoke-SchemaMigration -Endpoint Cluster").SingleError().FullyQualifiedErrorId);
        File.WriteAllText(second, File.ReadAllText(second).Replace("twice INT", "twice BIGINT"));
        Assert.Contains("were changed", Run(site, "Invoke-SchemaMigration -Endpoint Cluster").SingleError().Exception.Message);
    }

    [Fact]
    public async Task AMigrationGeneratedFromParityMakesTheEndsIdentical()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 3);
        await site.Cluster.ExecuteAsync("SET FOREIGN_KEY_CHECKS = 0; DROP TABLE flyokai_payout; SET FOREIGN_KEY_CHECKS = 1");
        await site.Cluster.ExecuteAsync("ALTER TABLE flyokai_seller ADD COLUMN only_on_cluster INT NULL, MODIFY slug VARCHAR(100) NOT NULL, DROP INDEX uniq_seller_user");
        await site.Cluster.ExecuteAsync("ALTER TABLE flyokai_statement DROP COLUMN total_commission, MODIFY status VARCHAR(32) NOT NULL DEFAULT 'new'");
        var p = new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath, ["project"] = Project(site) };
        Assert.NotEmpty(PsHost.Invoke("Test-SchemaParity -ShopwareRoot $root -ProfilePath $profile", p).AssertNoErrors().Objects<SchemaDifference>());

        var created = PsHost.Invoke("New-SchemaMigration -Name BringClusterInLine -FromParity -Endpoint Cluster -ShopwareRoot $root -ProfilePath $profile -Source $project", p).AssertNoErrors();
        var file = SchemaMigrationFile.Read(created.Objects<FileInfo>().Single().FullName, Project(site));
        Assert.Equal(SchemaEndpoints.Cluster, file.Endpoints);
        Assert.Contains(file.Destructive, s => s.Contains("DROP COLUMN `only_on_cluster`"));
        Assert.DoesNotContain(file.Update, s => s.Contains("DROP COLUMN"));
        PsHost.Invoke("Invoke-SchemaMigration -Endpoint Cluster -Destructive -Force -ShopwareRoot $root -ProfilePath $profile -Source $project", p).AssertNoErrors();

        var after = PsHost.Invoke("Test-SchemaParity -ShopwareRoot $root -ProfilePath $profile", p).AssertNoErrors().Objects<SchemaDifference>().ToList();
        Assert.True(after.Count == 0, string.Join("\n", after.Select(d => d.Message)) + "\n--- migration ---\n" + File.ReadAllText(file.Path));
    }

    [Fact]
    public async Task WhatIfShowsThePlanWithItsSqlAndChangesNothing()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        Write(Project(site), "20260101000000", "AddA", "ALTER TABLE flyokai_seller ADD COLUMN mig_a INT NULL;", "ALTER TABLE flyokai_seller DROP COLUMN status;");

        var plan = Run(site, "Invoke-SchemaMigration -Destructive -WhatIf").AssertNoErrors().Objects<SchemaMigrationResult>().ToList();

        Assert.Equal(new[] { "Planned", "Planned" }, plan.Select(r => r.Outcome));
        Assert.Equal("ALTER TABLE flyokai_seller ADD COLUMN mig_a INT NULL", plan[0].Sql.Single());
        Assert.False(await ColumnExistsAsync(site.Shopware, "flyokai_seller", "mig_a"));
        Assert.False(File.Exists(Path.Combine(site.Root, "migrations-lock.yml")));
        foreach (var db in new[] { site.Shopware, site.Cluster })
        {
            Assert.Equal(0L, Convert.ToInt64(await db.ScalarAsync($"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{MigrationTracking.Table}'")));
        }
    }

    [Fact]
    public async Task ABrokenLockFileOrMigrationFileIsRefusedByName()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        Write(Project(site), "20260101000000", "AddA", "SELECT 1;");
        File.WriteAllText(Path.Combine(site.Root, "migrations-lock.yml"), "\"20260101000000\": { name: AddA, skip: maybe }\n");
        var lockError = Run(site, "Get-SchemaMigration").SingleError();
        Assert.StartsWith("MigrationLockInvalid,", lockError.FullyQualifiedErrorId);
        Assert.Contains("skip is 'maybe'", lockError.Exception.Message);

        File.Delete(Path.Combine(site.Root, "migrations-lock.yml"));
        File.WriteAllText(Path.Combine(Project(site), "Migration20260102000000NoParts.sql"), "ALTER TABLE x ADD y INT;\n");
        var fileError = Run(site, "Get-SchemaMigration").SingleError();
        Assert.StartsWith("SchemaMigrationInvalid,", fileError.FullyQualifiedErrorId);
        Assert.Contains("-- @update", fileError.Exception.Message);
    }
}
