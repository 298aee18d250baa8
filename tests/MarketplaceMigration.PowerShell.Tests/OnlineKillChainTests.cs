using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.TestRig;
using Xunit;
using Xunit.Abstractions;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// The kill suite of the online move: while a writer keeps the source busy, the run is killed with
/// SIGKILL in every online phase (the capture's install, the live copy, replay and live verification,
/// the pause before cutover, the final replay under the gate, the hook, the cleanup) and at every step
/// boundary, and restarted each time until it finishes. After every kill with the gate open the
/// selectors agree; at the end every row is equal (checked independently), and no trigger or changelog is left.
/// </summary>
public sealed class OnlineKillChainTests
{
    private const string Hook = "-CutoverHook { [System.Threading.Thread]::Sleep(300) }";
    private readonly ITestOutputHelper _output;

    public OnlineKillChainTests(ITestOutputHelper output) => _output = output;

    private static bool Running(RunStateSnapshot s, int step) => s.Steps.Length >= step && s.Steps[step - 1] == nameof(StepStatus.Running);

    private static bool Waiting(ShopwareSite site)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(RunStateFile.PathOf(site)));
            return state.RootElement.TryGetProperty("online", out var online) && online.ValueKind == JsonValueKind.Object && online.GetProperty("waitingForApproval").GetBoolean();
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return false;
        }
    }

    [Fact]
    public async Task KilledInEveryOnlinePhaseWhileTheShopWritesTheRunEndsWithEveryRowEqualAndNoCaptureLeft()
    {
        var seed = Environment.GetEnvironmentVariable("MM_KILL_SEED") is { Length: > 0 } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
        _output.WriteLine($"MM_KILL_SEED={seed} reproduces this run's random kill moments");
        var random = new Random(seed);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        // Every table's secondary indexes deferred (the test shop's tables are below the default threshold): kills inside the
        // live copy land between a table's drop and its rebuild.
        await site.WithClusterAsync(sellers: 40, extraProfile: ", \"chunkRows\": 3, \"deferIndexesMinRows\": 1");
        var writer = await LiveWriter.StartAsync(site.Shopware, site.Shopware, perSecond: 150);
        var extra = "-Online -PauseBeforeCutover " + Hook;
        var kills = 0;

        var plan = new List<(string Name, Func<RunStateSnapshot, long, bool> When, Func<RunStateSnapshot, bool> Past, int DelayMs)>
        {
            ("step boundary 1", (s, _) => s.Done(1), s => s.Done(1), 0),
            ("installing the capture", (s, _) => Running(s, 2), s => s.Done(2), random.Next(0, 30)),
            ("step boundary 2", (s, _) => s.Done(2), s => s.Done(2), 0),
        };
        for (var i = 0; i < 8; i++) plan.Add(("inside the live copy", (s, start) => s.Chunks >= start + 3 && !s.Done(3), s => s.Done(3), 0));
        plan.Add(("step boundary 3", (s, _) => s.Done(3), s => s.Done(3), 0));
        for (var i = 0; i < 3; i++) plan.Add(("replaying and verifying while live", (s, _) => Running(s, 4), s => s.Done(4), random.Next(50, 800)));
        plan.Add(("paused before the cutover", (s, _) => Running(s, 4) && Waiting(site), s => s.Done(4), random.Next(0, 300)));
        plan.Add(("step boundary 4", (s, _) => s.Done(4), s => s.Done(4), 0));
        plan.Add(("step boundary 5 (gate set)", (s, _) => s.Done(5), s => s.Done(5), 0));
        for (var i = 0; i < 2; i++) plan.Add(("final replay, verification or hook", (s, _) => Running(s, 6), s => s.Done(6), random.Next(0, 250)));
        for (var step = 6; step <= 11; step++)
        {
            var k = step;
            plan.Add(($"step boundary {k}", (s, _) => s.Done(k), s => s.Done(k), 0));
        }

        foreach (var (name, when, past, delay) in plan)
        {
            var now = RunStateFile.Read(site);
            if (now != null && (now.Status == RunStatus.Completed || past(now))) continue;
            // Once the pause is reached, the next restart is approved (an orchestrator's go), so the run can reach the freeze.
            if (name == "step boundary 4") PsHost.Invoke("Approve-DataMigrationCutover -ShopwareRoot $root", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();
            var start = now?.Chunks ?? 0;
            var output = new System.Text.StringBuilder();
            using var child = KillTests.StartChild(site, "Cluster", output, extra);
            var reached = await KillChainTests.WaitAsync(site, child, s => when(s, start));
            if (!reached)
            {
                child.WaitForExit();
                if (RunStateFile.Read(site)?.Status == RunStatus.Completed) break;
                throw new Xunit.Sdk.XunitException($"the restarted online run did not reach '{name}' (exit {(child.HasExited ? child.ExitCode : -1)}): {output}");
            }

            if (delay > 0) await Task.Delay(delay);
            KillTests.KillHard(child);
            var at = RunStateFile.Read(site);
            if (at?.Status == RunStatus.Completed) break;
            kills++;
            _output.WriteLine($"online: kill {kills} ({name}): {at?.Where()}");
            FaultLedger.KillPoint($"online to-cluster: {name}: {at?.Where()}");
            if (!await GateAsync(site))
            {
                // The gate is open: before the freeze nothing was flipped; after it, the selectors agree on a complete copy.
                var served = File.ReadAllText(site.ClusterConfigPath).Contains("\"active\": \"cluster\"") ? "cluster" : "shopware";
                await AssertSelectorsAsync(site, served);
                if (served == "cluster") await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
            }
        }

        if (RunStateFile.Read(site)?.Status != RunStatus.Completed) Migrate(site, "Cluster", extra).AssertNoErrors();
        await writer.StopAsync();
        Assert.Equal(RunStatus.Completed, State(site).Status);
        Assert.NotNull(writer.GateSeenAt);
        var compared = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Shopware));
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Cluster));
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        await DeferredIndexTests.AssertSameIndexesAsync(site.Shopware, site.Cluster);
        FaultLedger.Fault($"online to-cluster: the run finished after {kills} kill(s) with {writer.Committed} writes during it", compared, 0);
        _output.WriteLine($"{kills} kill(s); the writer committed {writer.Committed} transaction(s) ({writer.Refused} refused by the server)");
        Assert.True(kills >= 15, $"only {kills} online kill points were reached (seed {seed})");
    }
}
