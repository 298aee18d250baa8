using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// Each of the ten steps made to fail on real servers: the gate stays as the failure left it, the
/// state names the failed step, the error names the fix; after the cause is removed the rerun resumes
/// at that step (earlier steps are not executed again) and ends with equal data and agreeing selectors.
/// </summary>
public sealed class StepFailureTests
{
    private const string Cmdlet = "MarketplaceMigration.PowerShell.Cmdlets.StartDataMigrationCommand";

    public sealed record Fault(int Step, string ErrorId, string MessagePart, Func<ShopwareSite, Task<IAsyncDisposable?>> Inject, Func<ShopwareSite, Task> Remove, string Extra = "", int[]? AlsoRerun = null, bool? GateSet = null);

    private sealed class Held : IAsyncDisposable
    {
        private readonly MySqlConnection _connection;

        public Held(MySqlConnection connection) => _connection = connection;

        public async ValueTask DisposeAsync()
        {
            await using (var commit = new MySqlCommand("COMMIT", _connection)) await commit.ExecuteNonQueryAsync();
            await _connection.DisposeAsync();
        }
    }

    private static async Task<IAsyncDisposable?> Sql(TestDatabase db, string sql)
    {
        await db.ExecuteAsync(sql);
        return null;
    }

    private static async Task<IAsyncDisposable?> OpenTransaction(TestDatabase db, string database, string sql)
    {
        var connection = new MySqlConnection(db.Server.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new MySqlCommand("BEGIN; " + sql, connection);
        await command.ExecuteNonQueryAsync();
        return new Held(connection);
    }

    private static string DenyTrigger(string name, string table, string when) =>
        $"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW BEGIN IF {when} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'denied by the test'; END IF; END";

    private static readonly Dictionary<string, Fault> Faults = new()
    {
        ["1 schema drift"] = new(1, "SchemaDrift", "Test-SchemaParity",
            s => Sql(s.Cluster, "ALTER TABLE flyokai_payout MODIFY amount DECIMAL(14,4) NOT NULL"),
            s => s.Cluster.ExecuteAsync("ALTER TABLE flyokai_payout MODIFY amount DECIMAL(12,4) NOT NULL")),
        ["2 gate write denied"] = new(2, "GateWriteFailed", "INSERT and UPDATE on system_config",
            s => Sql(s.Shopware, DenyTrigger("deny_gate", "system_config", "NEW.configuration_key = 'FlyokaiMarketplaceRemote.config.maintenance' AND NEW.configuration_value LIKE '%true%'")),
            s => s.Shopware.ExecuteAsync("DROP TRIGGER deny_gate"), GateSet: false),
        ["2 undrained transaction"] = new(2, "DrainTimeout", "KILL <connection id>",
            s => OpenTransaction(s.Shopware, s.Shopware.Name, "UPDATE flyokai_seller SET status = status WHERE slug = 'seller-1'"),
            s => Task.CompletedTask),
        ["3 dump file unwritable"] = new(3, "DumpWriteFailed", "-DumpPath",
            s => { File.WriteAllText(Path.Combine(s.Root, "dumps"), "a file where the dump directory should be"); return Task.FromResult<IAsyncDisposable?>(null); },
            s => { File.Delete(Path.Combine(s.Root, "dumps")); return Task.CompletedTask; },
            Extra: "-DumpPath \"$root/dumps/migration.sql\""),
        ["4 target write error"] = new(4, "TargetWriteFailed", "free disk space, grants",
            s => Sql(s.Cluster, "CREATE TRIGGER deny_statement BEFORE INSERT ON flyokai_statement FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk full (simulated)'"),
            s => s.Cluster.ExecuteAsync("DROP TRIGGER deny_statement")),
        ["5 corrupted target row"] = new(5, "ChecksumMismatch", "Different",
            s => Sql(s.Cluster, "CREATE TRIGGER tamper BEFORE INSERT ON flyokai_seller FOR EACH ROW SET NEW.status = IF(NEW.slug = 'seller-3', 'tampered', NEW.status)"),
            s => s.Cluster.ExecuteAsync("DROP TRIGGER tamper"), AlsoRerun: new[] { 4 }),
        ["6 unwritable cluster file"] = new(6, "ClusterConfigWriteFailed", "may write the file",
            s => { Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(s.ClusterConfigPath)!, ".flyok.config.json.tmp")); return Task.FromResult<IAsyncDisposable?>(null); },
            s => { Directory.Delete(Path.Combine(Path.GetDirectoryName(s.ClusterConfigPath)!, ".flyok.config.json.tmp")); return Task.CompletedTask; }),
        ["6 dataLocation row denied after the file flipped"] = new(6, "DataLocationWriteFailed", "the flip is completed",
            s => Sql(s.Shopware, DenyTrigger("deny_location", "system_config", "NEW.configuration_key = 'FlyokaiMarketplaceRemote.config.dataLocation'")),
            s => s.Shopware.ExecuteAsync("DROP TRIGGER deny_location")),
        ["7 port never opens"] = new(7, "ClusterPortTimeout", "ss -lntp",
            async s => { await s.StopClusterAsync(); await s.SetConfigAsync("clusterRestartCommand", "true"); return null; },
            s => s.SetConfigAsync("clusterRestartCommand", s.RestartCommand)),
        ["7 hanging restart command"] = new(7, "RestartCommandFailed", "ran longer than 2 s",
            async s =>
            {
                await s.SetConfigAsync("clusterRestartCommand", "sleep 600");
                File.WriteAllText(s.ProfilePath, File.ReadAllText(s.ProfilePath).Replace("\"restartSeconds\": 60", "\"restartSeconds\": 2"));
                return null;
            },
            async s =>
            {
                await s.SetConfigAsync("clusterRestartCommand", s.RestartCommand);
                File.WriteAllText(s.ProfilePath, File.ReadAllText(s.ProfilePath).Replace("\"restartSeconds\": 2", "\"restartSeconds\": 60"));
            }),
        ["1 restart command not found"] = new(1, "RestartCommandFailed", "exists on this machine",
            async s => { await s.SetConfigAsync("clusterRestartCommand", "no-such-restart-command --now"); return null; },
            s => s.SetConfigAsync("clusterRestartCommand", s.RestartCommand)),
        ["1 restart command not executable"] = new(1, "RestartCommandFailed", "is not executable",
            async s =>
            {
                File.WriteAllText(Path.Combine(s.Root, "restart.sh"), "#!/bin/sh\nexit 0\n");
                await s.SetConfigAsync("clusterRestartCommand", "./restart.sh");
                return null;
            },
            s => s.SetConfigAsync("clusterRestartCommand", s.RestartCommand)),
        ["1 ping command not found"] = new(1, "SmokeTestFailed", "is not on the PATH",
            s => { File.WriteAllText(s.ProfilePath, File.ReadAllText(s.ProfilePath).Replace("\"smokeCommand\": \"dotnet ", "\"smokeCommand\": \"no-such-dotnet ")); return Task.FromResult<IAsyncDisposable?>(null); },
            s => { File.WriteAllText(s.ProfilePath, File.ReadAllText(s.ProfilePath).Replace("\"smokeCommand\": \"no-such-dotnet ", "\"smokeCommand\": \"dotnet ")); return Task.CompletedTask; }),
        ["7 restart command fails, its output in the error"] = new(7, "RestartCommandFailed", "exited with 3: cannot restart now",
            async s => { await s.SetConfigAsync("clusterRestartCommand", "echo cannot restart now >&2; exit 3"); return null; },
            s => s.SetConfigAsync("clusterRestartCommand", s.RestartCommand)),
        ["8 failing ping"] = new(8, "SmokeTestFailed", "stale workers",
            s => { File.WriteAllText(s.ProfilePath, File.ReadAllText(s.ProfilePath).Replace(" ping --port", " no-such-verb --port")); return Task.FromResult<IAsyncDisposable?>(null); },
            s => { File.WriteAllText(s.ProfilePath, File.ReadAllText(s.ProfilePath).Replace(" no-such-verb --port", " ping --port")); return Task.CompletedTask; }),
        ["9 source table locked"] = new(9, "TargetWriteFailed", "empties the rest",
            s => OpenTransaction(s.Shopware, "mysql", $"SELECT COUNT(*) FROM `{s.Shopware.Name}`.flyokai_payout"),
            s => Task.CompletedTask, Extra: "-DropSource"),
        ["10 gate lift denied"] = new(10, "GateWriteFailed", "INSERT and UPDATE on system_config",
            s => Sql(s.Shopware, DenyTrigger("deny_lift", "system_config", "NEW.configuration_key = 'FlyokaiMarketplaceRemote.config.maintenance' AND NEW.configuration_value LIKE '%false%'")),
            s => s.Shopware.ExecuteAsync("DROP TRIGGER deny_lift")),
    };

    public static TheoryData<string> FaultNames() => new(Faults.Keys);

    [Theory]
    [MemberData(nameof(FaultNames))]
    public async Task EachStepFailsSafelyAndResumesThere(string name)
    {
        var fault = Faults[name];
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 12);
        var held = await fault.Inject(site);

        var first = Migrate(site, "Cluster", fault.Extra);

        var error = first.SingleError();
        Assert.Equal(fault.ErrorId + "," + Cmdlet, error.FullyQualifiedErrorId);
        Assert.StartsWith($"Step {fault.Step} ", error.Exception.Message);
        Assert.Contains(fault.MessagePart, error.Exception.Message);
        Assert.Contains("rerun", error.Exception.Message);
        Assert.Equal(fault.GateSet ?? fault.Step >= 2, await GateAsync(site));
        var failed = State(site);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal(StepStatus.Failed, failed.Steps[fault.Step - 1].Status);
        Assert.Equal(fault.ErrorId, failed.Steps[fault.Step - 1].ErrorId);
        if (fault.Step is >= 6 and <= 9) await AssertSelectorsNotServedSplitAsync(site);
        foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, first.AllText());

        if (held != null) await held.DisposeAsync();
        await fault.Remove(site);
        var second = Migrate(site, "Cluster", fault.Extra).AssertNoErrors();

        var steps = second.Objects<StepResult>().ToList();
        var rerun = new HashSet<int>(fault.AlsoRerun ?? Array.Empty<int>()) { fault.Step };
        foreach (var step in steps.Where(s => s.Number < fault.Step && !rerun.Contains(s.Number)))
        {
            Assert.False(step.Executed, $"step {step.Number} {step.Step} ran again");
            Assert.Equal(step.Number == 9 ? 0 : 1, step.Attempts);
        }

        Assert.True(steps[fault.Step - 1].Executed);
        Assert.Equal(2, steps[fault.Step - 1].Attempts);
        Assert.All(steps, s => Assert.Contains(s.Status, new[] { StepStatus.Succeeded, StepStatus.Skipped }));
        Assert.Equal(RunStatus.Completed, State(site).Status);
        long compared = 0;
        if (fault.Extra.Contains("-DropSource"))
        {
            Assert.Equal(0, await IndependentCompare.CountAsync(site.Shopware, "flyokai_payout"));
            Assert.True(await IndependentCompare.CountAsync(site.Cluster, "flyokai_payout") > 0);
        }
        else
        {
            compared = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        }

        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        FaultLedger.Fault("step " + name, compared);
    }

    [Fact]
    public async Task WhatIfChangesNothingAnywhere()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 5);
        var before = await SnapshotAsync(site);

        var run = Migrate(site, "Cluster", "-WhatIf -DropSource").AssertNoErrors();

        Assert.Empty(run.Objects<StepResult>());
        Assert.Equal(before, await SnapshotAsync(site));
        Assert.False(Directory.Exists(Path.Combine(site.Root, "var", "marketplace")));
    }

    [Fact]
    public async Task ARunInTheOtherDirectionIsRefusedWhileOneIsUnfinished()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 5);
        await site.Cluster.ExecuteAsync("CREATE TRIGGER deny_statement BEFORE INSERT ON flyokai_statement FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no'");
        Migrate(site, "Cluster").SingleError();

        var error = Migrate(site, "Shopware").SingleError();

        Assert.Equal("DirectionMismatch," + Cmdlet, error.FullyQualifiedErrorId);
        Assert.Contains("stopped at step 4 import_tables", error.Exception.Message);
        Assert.Contains("Start-DataMigration -To Cluster", error.Exception.Message);
        Assert.True(await GateAsync(site));
    }

    [Fact]
    public async Task ARerunInTheOtherModeIsRefusedWhileARunIsUnfinished()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 5);
        await site.Cluster.ExecuteAsync("CREATE TRIGGER deny_statement BEFORE INSERT ON flyokai_statement FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no'");
        Migrate(site, "Cluster").SingleError();   // offline, stopped at step 4 with the gate set

        var error = Migrate(site, "Cluster", "-Online").SingleError();

        Assert.Equal("ModeMismatch," + Cmdlet, error.FullyQualifiedErrorId);
        Assert.Contains("offline", error.Exception.Message);
        Assert.Contains("stopped at step 4 import_tables", error.Exception.Message);
        Assert.Contains("resume it without -Online", error.Exception.Message);
        Assert.True(await GateAsync(site));
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Shopware));

        await site.Cluster.ExecuteAsync("DROP TRIGGER deny_statement");
        Migrate(site, "Cluster").AssertNoErrors();
        FaultLedger.BadInput("run: -Online while an offline run is unfinished", "ModeMismatch");
    }

    [Fact]
    public async Task AConcurrentRunIsRefusedAndADeadOwnersLockIsReclaimed()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 5);
        await using (var holder = new MySqlConnection(site.Shopware.Server.ConnectionString(site.Shopware.Name) + ";Pooling=false"))
        {
            await holder.OpenAsync();
            await using (var take = new MySqlCommand($"SELECT GET_LOCK('MarketplaceMigration:{site.Shopware.Name}', 0)", holder)) await take.ExecuteScalarAsync();

            var error = Migrate(site, "Cluster").SingleError();

            Assert.Equal("RunInProgress," + Cmdlet, error.FullyQualifiedErrorId);
            Assert.Contains("held by another session", error.Exception.Message);
        }

        Directory.CreateDirectory(Path.Combine(site.Root, "var", "marketplace"));
        File.WriteAllText(Path.Combine(site.Root, "var", "marketplace", "migration.lock"),
            $"{{\"Pid\":999999,\"Host\":\"{Environment.MachineName}\",\"ProcessStartedAt\":\"2020-01-01T00:00:00Z\",\"AcquiredAt\":\"2020-01-01T00:00:00Z\",\"Token\":\"dead\"}}");
        var run = Migrate(site, "Cluster").AssertNoErrors();

        Assert.Contains(run.Warnings, w => w.Message.Contains("Reclaimed the run lock") && w.Message.Contains("999999"));
        Assert.False(File.Exists(Path.Combine(site.Root, "var", "marketplace", "migration.lock")));
    }

    [Fact]
    public async Task NothingToMoveWhenTheDataIsAlreadyThere()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 3);

        var error = Migrate(site, "Shopware").SingleError();

        Assert.Equal("AlreadyAtLocation," + Cmdlet, error.FullyQualifiedErrorId);
        Assert.Contains("-To Cluster", error.Exception.Message);
        Assert.False(await GateAsync(site));
    }

    [Fact]
    public async Task AGateLiftedByHandBeforeTheFlipMakesTheRerunCopyAgain()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 6);
        await site.Cluster.ExecuteAsync("CREATE TRIGGER deny_statement BEFORE INSERT ON flyokai_statement FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no'");
        Migrate(site, "Cluster").SingleError();
        await site.SetConfigAsync("maintenance", false);                      // lifted by hand
        await site.Shopware.ExecuteAsync("UPDATE flyokai_seller SET status = 'inactive' WHERE slug = 'seller-2'");   // a write the copy must not miss
        await site.Cluster.ExecuteAsync("DROP TRIGGER deny_statement");

        var rerun = Migrate(site, "Cluster").AssertNoErrors();

        Assert.Contains(rerun.Warnings, w => w.Message.Contains("gate was lifted") && w.Message.Contains("starts again at set_maintenance"));
        var steps = rerun.Objects<StepResult>().ToList();
        Assert.False(steps[0].Executed);
        Assert.All(steps.Skip(1).Take(4), s => Assert.True(s.Executed));
        Assert.Equal(2, steps[1].Attempts);
        Assert.Equal("inactive", await site.Cluster.ScalarAsync("SELECT status FROM flyokai_seller WHERE slug = 'seller-2'"));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }

    [Fact]
    public async Task AGateLiftedByHandAfterTheFlipStopsTheRunForAManualCheck()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 6);
        await site.SetConfigAsync("clusterRestartCommand", "echo cannot restart now >&2; exit 3");
        Migrate(site, "Cluster").SingleError();                                // fails at step 7, after the flip
        var backup = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(site.ClusterConfigPath)!, "*.bak"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));   // it holds passwords; kept for recovery while the run is unfinished
        await site.SetConfigAsync("maintenance", false);
        await site.SetConfigAsync("clusterRestartCommand", site.RestartCommand);

        var error = Migrate(site, "Cluster").SingleError();

        Assert.Equal("GateLiftedDuringRun," + Cmdlet, error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("verify manually, do not re-run", error.Exception.Message);
    }

    /// <summary>While the selectors may be split, the gate must be set.</summary>
    private static async Task AssertSelectorsNotServedSplitAsync(ShopwareSite site) => Assert.True(await GateAsync(site));

    private static async Task<string> SnapshotAsync(ShopwareSite site)
    {
        var parts = new List<string> { File.ReadAllText(site.ClusterConfigPath) };
        foreach (var db in new[] { site.Shopware, site.Cluster })
        {
            foreach (var table in await db.TableNamesAsync())
            {
                await using var connection = await db.OpenAsync();
                await using var command = new MySqlCommand($"CHECKSUM TABLE `{table}` EXTENDED", connection);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                parts.Add($"{db.Name}.{table}={reader.GetValue(1)}");
            }
        }

        parts.AddRange(Directory.GetFileSystemEntries(site.Root, "*", SearchOption.AllDirectories).Where(p => !p.Contains("standin")).OrderBy(p => p));
        return string.Join("\n", parts);
    }
}
