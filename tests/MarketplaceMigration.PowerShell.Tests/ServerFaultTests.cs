using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// A database server that crashes (SIGKILL) in the middle of the copy — the target while it is
/// written, or the source while it is read (it also holds the gate) — on a throwaway server of the
/// test's own. The run stops with an error that says to rerun, the gate stays set, the selectors stay
/// on the source; after the server is started again (InnoDB recovers) the rerun ends with every row equal.
/// </summary>
public sealed class ServerFaultTests
{
    [Theory]
    [InlineData("target")]
    [InlineData("source")]
    public async Task AServerCrashingMidCopyStopsTheRunAndTheRerunAfterItsRestartEndsCorrect(string which)
    {
        using var own = await MariaDbProcess.StartAsync(MariaDbProcess.RunDirectory(), which + "-crash");
        var server = new TestServer(which, "127.0.0.1", own.Port, MariaDbProcess.User, own.Password);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true,
            shopwareServer: which == "source" ? server : null, clusterServer: which == "target" ? server : null);
        await site.WithClusterAsync(sellers: 40, extraProfile: ", \"chunkRows\": 2");

        var running = Task.Run(() => Migrate(site, "Cluster"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((RunStateFile.Read(site)?.Chunks ?? 0) < 20 && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.False(running.IsCompleted, "the copy ended before the crash point");
        own.Crash();
        var first = await running;

        var error = first.SingleError();
        Assert.Contains("Step 4 import_tables failed", error.Exception.Message);
        Assert.StartsWith("ServerLost,", error.FullyQualifiedErrorId);                  // its own error, not a grant or disk fix
        Assert.Contains($"server ", error.Exception.Message);
        Assert.Contains($"@127.0.0.1:{own.Port}/", error.Exception.Message);               // naming the server that went away
        Assert.Contains("rerun", error.Exception.Message);
        foreach (var secret in site.Secrets.Append(own.Password)) Assert.DoesNotContain(secret, first.AllText());
        await own.StartAgainAsync();
        Assert.True(await GateAsync(site), "the gate must survive the crash");
        await AssertSelectorsAsync(site, "shopware");
        var failed = State(site);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal(StepStatus.Failed, failed.Steps[3].Status);

        Migrate(site, "Cluster").AssertNoErrors();

        var compared = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        FaultLedger.Fault($"{which} server crashed mid-copy ({error.FullyQualifiedErrorId.Split(',')[0]}), restarted, rerun", compared);
    }

    [Fact]
    public async Task ATargetWithLocalInfileOffIsRefusedBeforeAnythingChanges()
    {
        // A server of the test's own: local_infile is global, and the shared servers serve other tests' copies.
        using var own = await MariaDbProcess.StartAsync(MariaDbProcess.RunDirectory(), "no-infile");
        var server = new TestServer("cluster", "127.0.0.1", own.Port, MariaDbProcess.User, own.Password);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true, clusterServer: server);
        await site.WithClusterAsync(sellers: 4);
        await site.Cluster.ExecuteAsync("SET GLOBAL local_infile = 0");

        var run = Migrate(site, "Cluster");

        var error = run.SingleError();
        Assert.StartsWith("LocalInfileDisabled,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("SET GLOBAL local_infile = 1", error.Exception.Message);
        Assert.False(await GateAsync(site));
        await AssertSelectorsAsync(site, "shopware");
        Assert.Equal(0L, await IndependentCompare.CountAsync(site.Cluster, "flyokai_seller"));
        FaultLedger.BadInput("run: target with local_infile off", "LocalInfileDisabled");
    }

    [Fact]
    public async Task AReadOnlyTargetIsRefusedInStepOneBeforeTheGate()
    {
        // A server of the test's own: read_only is global. The rig's user may write through read_only
        // (it holds every privilege); the run refuses anyway: a read-only server is a replica.
        using var own = await MariaDbProcess.StartAsync(MariaDbProcess.RunDirectory(), "read-only");
        var server = new TestServer("cluster", "127.0.0.1", own.Port, MariaDbProcess.User, own.Password);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true, clusterServer: server);
        await site.WithClusterAsync(sellers: 4);
        await site.Cluster.ExecuteAsync("SET GLOBAL read_only = 1");

        var run = Migrate(site, "Cluster");

        var error = run.SingleError();
        Assert.StartsWith("TargetReadOnly,", error.FullyQualifiedErrorId);
        Assert.StartsWith("Step 1 schema_check failed", error.Exception.Message);
        Assert.Contains("read_only = ON", error.Exception.Message);
        Assert.Contains("primary", error.Exception.Message);
        Assert.False(await GateAsync(site));
        await AssertSelectorsAsync(site, "shopware");
        Assert.Equal(0L, await IndependentCompare.CountAsync(site.Cluster, "flyokai_seller"));
        FaultLedger.BadInput("run: read-only target", "TargetReadOnly");

        await site.Cluster.ExecuteAsync("SET GLOBAL read_only = 0");
        Migrate(site, "Cluster").AssertNoErrors();
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }

    [Fact]
    public async Task AFileWhereTheStateDirectoryShouldBeIsRefusedBeforeAnythingChanges()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 4);
        var stateDirectory = Path.Combine(site.Root, "var", "marketplace");
        Directory.CreateDirectory(Path.GetDirectoryName(stateDirectory)!);
        if (Directory.Exists(stateDirectory)) Directory.Delete(stateDirectory, recursive: true);
        File.WriteAllText(stateDirectory, "not a directory");

        var error = Migrate(site, "Cluster").SingleError();

        Assert.StartsWith("StateDirectoryUnusable,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("A file stands where the run's state directory should be", error.Exception.Message);
        Assert.Contains("stateDirectory", error.Exception.Message);
        Assert.False(await GateAsync(site));
        await AssertSelectorsAsync(site, "shopware");
        FaultLedger.BadInput("run: a file where the state directory should be", "StateDirectoryUnusable");

        File.Delete(stateDirectory);
        Migrate(site, "Cluster").AssertNoErrors();
    }
}
