using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
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
/// The kill suite: one move to the cluster and one back, each killed with SIGKILL over and over — at
/// every step boundary (as soon as the state records the step done), every few chunks inside the copy,
/// and at random moments inside the verification — and restarted each time until it finishes. After
/// every kill: if the gate is open, both selectors agree and point at a database holding the complete
/// data. At the end: every row equal (checked independently), the selectors on the target, the gate open.
/// </summary>
public sealed class KillChainTests
{
    private readonly ITestOutputHelper _output;

    public KillChainTests(ITestOutputHelper output) => _output = output;

    /// <summary>Waits until the run's state meets <paramref name="condition"/> (true) or the child exits (false).</summary>
    internal static async Task<bool> WaitAsync(ShopwareSite site, Process child, Func<RunStateSnapshot, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var snapshot = RunStateFile.Read(site);
            if (snapshot != null && condition(snapshot)) return true;
            if (child.HasExited) return false;
            await Task.Delay(5);
        }

        throw new TimeoutException("the run neither reached the kill point nor ended within 90 s");
    }

    private static async Task AssertNeverServedIncompleteAsync(ShopwareSite site, TestDatabase complete, TestDatabase other)
    {
        if (await GateAsync(site)) return;   // behind the gate anything may be in flight
        var row = (await site.Shopware.ScalarAsync("SELECT CAST(configuration_value AS CHAR) FROM system_config WHERE configuration_key = 'FlyokaiMarketplaceRemote.config.dataLocation'"))?.ToString()?.Replace(" ", "");
        var file = File.ReadAllText(site.ClusterConfigPath);
        var location = row == "{\"_value\":\"cluster\"}" ? "cluster" : "shopware";
        Assert.Contains($"\"active\": \"{location}\"", file);     // the gate is open: the selectors must agree
        var served = location == "cluster" ? site.Cluster : site.Shopware;
        if (served != complete) await IndependentCompare.AssertEqualAsync(complete, other, ShopwareSite.Tables(typeProbe: false));
    }

    private async Task<int> ChainAsync(ShopwareSite site, string to, Random random)
    {
        var (source, target) = to == "Cluster" ? (site.Shopware, site.Cluster) : (site.Cluster, site.Shopware);
        var label = "to-" + to.ToLowerInvariant();
        var kills = 0;
        var previousRun = RunStateFile.Read(site)?.RunId;     // the state of an earlier, finished run until this one starts
        RunStateSnapshot? Current() => RunStateFile.Read(site) is { } s && s.RunId != previousRun ? s : null;
        var before = 0L;
        foreach (var table in ShopwareSite.Tables(typeProbe: false)) before += await IndependentCompare.CountAsync(source, table);

        async Task<bool> KillAsync(Process child, string name)
        {
            KillTests.KillHard(child);
            var at = Current();
            if (at?.Status == RunStatus.Completed) return false;   // the run finished before the kill landed
            kills++;
            var where = at?.Where() ?? "before the run's state was written";
            _output.WriteLine($"{label}: kill {kills} ({name}): {where}");
            FaultLedger.KillPoint($"{label}: {name}: {where}");
            await AssertNeverServedIncompleteAsync(site, source, target);
            return true;
        }

        // While the process starts (runspace, profile, run lock): a random moment in its first second.
        using (var child = KillTests.StartChild(site, to))
        {
            await Task.Delay(random.Next(100, 1000));
            await KillAsync(child, "while starting");
        }

        // Each point: when to kill (given the chunks recorded at the child's start), and when it is already past.
        var plan = new List<(string Name, Func<RunStateSnapshot, long, bool> When, Func<RunStateSnapshot, bool> Past, int DelayMs)>();
        for (var step = 1; step <= 3; step++)
        {
            var k = step;
            plan.Add(($"step boundary {k}", (s, _) => s.Done(k), s => s.Done(k), 0));
        }

        for (var i = 0; i < 20; i++) plan.Add(("inside the copy", (s, start) => s.Chunks >= start + 3 && !s.Done(4), s => s.Done(4), 0));
        plan.Add(("step boundary 4", (s, _) => s.Done(4), s => s.Done(4), 0));
        for (var i = 0; i < 3; i++) plan.Add(("inside the verification", (s, _) => s.Steps[4] == nameof(StepStatus.Running), s => s.Done(5), random.Next(0, 40)));
        for (var step = 5; step <= 9; step++)
        {
            var k = step;
            plan.Add(($"step boundary {k}", (s, _) => s.Done(k), s => s.Done(k), 0));
        }

        foreach (var (name, when, past, delay) in plan)
        {
            var now = Current();
            if (now != null && (now.Status == RunStatus.Completed || past(now))) continue;
            var start = now?.Chunks ?? 0;
            var output = new System.Text.StringBuilder();
            using var child = KillTests.StartChild(site, to, output);
            // Past the point already (a copy whose last chunks went by between two reads of the state): kill there
            // all the same, so one restarted run never runs the rest of the chain's points to the end unkilled.
            if (!await WaitAsync(site, child, s => s.RunId != previousRun && (when(s, start) || past(s))))
            {
                child.WaitForExit();
                if (Current()?.Status == RunStatus.Completed) break;   // the run finished first
                throw new Xunit.Sdk.XunitException($"{label}: the restarted run stopped by itself before '{name}' (exit {child.ExitCode}): {output}");
            }

            if (delay > 0) await Task.Delay(delay);
            if (!await KillAsync(child, name)) break;
        }

        if (Current()?.Status != RunStatus.Completed) Migrate(site, to).AssertNoErrors();   // the last restart, left to finish
        Assert.Equal(RunStatus.Completed, State(site).Status);
        var compared = await IndependentCompare.AssertEqualAsync(source, target, ShopwareSite.Tables(typeProbe: false));
        var after = 0L;
        foreach (var table in ShopwareSite.Tables(typeProbe: false)) after += await IndependentCompare.CountAsync(target, table);
        Assert.Equal(before, after);
        await AssertSelectorsAsync(site, to.ToLowerInvariant());
        Assert.False(await GateAsync(site));
        await DeferredIndexTests.AssertSameIndexesAsync(source, target);
        FaultLedger.Fault($"{label}: the run finished after {kills} kill(s)", compared, before - after);
        return kills;
    }

    [Fact]
    public async Task KilledAtEveryStepBoundaryAndInsideCopyAndVerificationEachWayTheRunsEndCorrect()
    {
        var seed = Environment.GetEnvironmentVariable("MM_KILL_SEED") is { Length: > 0 } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
        _output.WriteLine($"MM_KILL_SEED={seed} reproduces this run's random kill moments");
        var random = new Random(seed);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        // Every table's secondary indexes deferred (the test shop's tables are below the default threshold): kills inside the
        // copy land between a table's drop and its rebuild.
        await site.WithClusterAsync(sellers: 40, extraProfile: ", \"chunkRows\": 2, \"deferIndexesMinRows\": 1");

        // MM_KILL_ROUNDS=N (the soak, by hand) repeats the journey there and back N times.
        var rounds = Environment.GetEnvironmentVariable("MM_KILL_ROUNDS") is { Length: > 0 } r ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 1;
        int there = 0, back = 0;
        for (var round = 0; round < rounds; round++)
        {
            there += await ChainAsync(site, "Cluster", random);
            back += await ChainAsync(site, "Shopware", random);
        }

        _output.WriteLine($"{rounds} round(s): {there} kill(s) on the way to the cluster, {back} on the way back");
        Assert.True(there + back >= 50 * rounds, $"only {there + back} kill points were reached in {rounds} round(s) (seed {seed})");
    }
}
