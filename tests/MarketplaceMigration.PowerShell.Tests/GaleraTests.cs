using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>One throwaway 3-node Galera cluster on loopback for the tests of this class (they run one after the other).</summary>
public sealed class GaleraFixture : IAsyncLifetime
{
    public GaleraCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await GaleraCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// The cluster's database as a real 3-node MariaDB Galera cluster: moves to it and from it with every row equal
/// on every node (compared independently, each node read after the cluster's write-sets), the nodes shown by
/// Get-MigrationProfile, chunks within the write-set limit, a node outside the primary component refused before
/// the gate, a node killed mid-copy stopping the run at the verification until it is back, a write through a
/// second node behind the gate caught by the drain proof.
/// </summary>
public sealed class GaleraTests : IClassFixture<GaleraFixture>
{
    private readonly GaleraCluster _galera;

    public GaleraTests(GaleraFixture fixture) => _galera = fixture.Cluster;

    private async Task<ShopwareSite> SiteAsync(int sellers = 20, string extraProfile = "", int drainSeconds = 3)
    {
        var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true, clusterServer: _galera.Server(0));
        await site.WithClusterAsync(sellers: sellers, extraProfile: extraProfile, drainSeconds: drainSeconds);
        return site;
    }

    private string NodesProfile => $", \"cluster\": {{ \"nodes\": [{string.Join(", ", _galera.Addresses.Select(a => $"\"{a}\""))}] }}";

    /// <summary>Compares <paramref name="reference"/> with the site's cluster database on every node, each read after the cluster's write-sets.</summary>
    private async Task<long> AssertEveryNodeEqualAsync(ShopwareSite site, TestDatabase reference)
    {
        long rows = 0;
        foreach (var server in _galera.Servers)
        {
            var node = new TestDatabase(server, site.Cluster.Name);   // not disposed: dropping it would drop it on every node
            await using (var c = await node.OpenAsync())
            await using (var sync = new MySqlCommand("SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM flyokai_seller", c))
                await sync.ExecuteScalarAsync();
            rows = await IndependentCompare.AssertEqualAsync(reference, node, ShopwareSite.Tables(typeProbe: false));
        }

        return rows;
    }

    [Fact]
    public async Task MovesToTheGaleraClusterAndBackWithEveryRowEqualOnEveryNode()
    {
        await using var site = await SiteAsync();

        var profile = PsHost.Invoke("Get-MigrationProfile -ShopwareRoot $root -ProfilePath $profile",
            new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath }).AssertNoErrors().Objects<MigrationProfile>().Single();
        Assert.Equal(_galera.Addresses, profile.ClusterNodes);
        Assert.Empty(profile.ShopwareNodes);

        var toCluster = Migrate(site, "Cluster").AssertNoErrors();
        Assert.Contains(toCluster.Verbose, v => v.Message.Contains("Galera cluster") && v.Message.Contains("verifies every node"));
        Assert.Equal(2, toCluster.Verbose.Count(v => v.Message.StartsWith("Verified every table on the Galera node")));
        var rows = await AssertEveryNodeEqualAsync(site, site.Shopware);
        await AssertSelectorsAsync(site, "cluster");

        // Back: the Galera cluster is the source now (its drain proof looks at every node).
        await site.Shopware.ExecuteAsync("SET FOREIGN_KEY_CHECKS = 0; " + string.Join(" ", ShopwareSite.Tables(typeProbe: false).Select(t => $"TRUNCATE TABLE {t};")));
        var toShopware = Migrate(site, "Shopware").AssertNoErrors();
        Assert.Contains(toShopware.Objects<StepResult>(), s => s.Step == "set_maintenance" && s.Summary?.Contains("3 Galera nodes") == true);
        await AssertEveryNodeEqualAsync(site, site.Shopware);
        await AssertSelectorsAsync(site, "shopware");
        FaultLedger.Fault("moved to a 3-node Galera cluster and back, every node compared", rows * 3);
    }

    [Fact]
    public async Task MovesOnlineToTheGaleraClusterWhileTheShopWritesAndRefusesToCaptureOnAGaleraSource()
    {
        // Small chunks: the copy takes seconds, so the shop's writes land in every online phase.
        await using var site = await SiteAsync(sellers: 30, extraProfile: ", \"chunkRows\": 25");
        var writer = await LiveWriter.StartAsync(site.Shopware, site.Shopware, perSecond: 200);
        var run = await Task.Run(() => Migrate(site, "Cluster", "-Online -Verbose"));
        await writer.StopAsync();
        run.AssertNoErrors();

        var steps = run.Objects<StepResult>().ToList();
        Assert.Equal(OnlineMoveTests.OnlineStepNames, steps.Select(s => s.Step));
        Assert.NotNull(writer.GateSeenAt);
        Assert.True(writer.Committed > 100, $"only {writer.Committed} transactions committed during the online move");
        Assert.True(long.Parse(steps.Single(s => s.Step == "catch_up").Details["EntriesReplayed"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        // Independent of the engine's verifier: every node against Shopware's database, each read after the cluster's write-sets.
        var rows = await AssertEveryNodeEqualAsync(site, site.Shopware);
        Assert.True(rows > 1000);
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Shopware));
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));

        // Back online, the Galera cluster would be the source: refused before anything changes on any node.
        var error = Migrate(site, "Shopware", "-Online").SingleError();
        Assert.StartsWith("OnlineNotPossible,", error.FullyQualifiedErrorId);
        Assert.Contains("Step 2 capture_changes failed", error.Exception.Message);
        Assert.Contains("Galera", error.Exception.Message);
        Assert.Contains("Stop-DataMigration, then move without -Online", error.Exception.Message);
        foreach (var node in _galera.Servers.Select(s => new TestDatabase(s, site.Cluster.Name)))
            Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(node));
        Assert.False(await GateAsync(site));
        await AssertSelectorsAsync(site, "cluster");
        FaultLedger.BadInput("run: -Online from a Galera source", "OnlineNotPossible");

        // A rerun without -Online does not silently resume the online run; what the errors say to do works.
        var mode = Migrate(site, "Shopware").SingleError();
        Assert.StartsWith("ModeMismatch,", mode.FullyQualifiedErrorId);
        Assert.Contains("stopped at step 2 capture_changes", mode.Exception.Message);
        Assert.Contains("Stop-DataMigration", mode.Exception.Message);
        PsHost.Invoke("Stop-DataMigration -ShopwareRoot $root -Force", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();
        Migrate(site, "Shopware").AssertNoErrors();
        await AssertEveryNodeEqualAsync(site, site.Shopware);
        await AssertSelectorsAsync(site, "shopware");
        FaultLedger.Fault("an online move to a 3-node Galera cluster with the shop writing, every node compared", rows * 3);
    }

    /// <summary>A write on one node alone (wsrep_on=OFF for its session): the cluster's nodes disagree.</summary>
    private async Task OnNodeAloneAsync(int node, ShopwareSite site, string sql)
    {
        await using var c = new MySqlConnection(_galera.Server(node).ConnectionString(site.Cluster.Name));
        await c.OpenAsync();
        await using var local = new MySqlCommand($"SET SESSION wsrep_on = OFF; {sql}; SET SESSION wsrep_on = ON", c);
        await local.ExecuteNonQueryAsync();
    }

    /// <summary>The approved run ended at <paramref name="step"/>, naming node 3 as the node that differs.</summary>
    private void AssertNode3Named(System.Diagnostics.Process child, System.Text.StringBuilder output, string step)
    {
        Assert.True(KillTests.Ended(child, 120_000), "the approved run did not end");
        var text = output.ToString();
        Assert.True(child.ExitCode != 0, "the approved run succeeded: " + text);
        foreach (var expected in new[] { "GaleraNodesDiffer", step + " failed", _galera.Addresses[2] })
            Assert.True(text.Contains(expected, StringComparison.Ordinal), $"'{expected}' is not in the run's output: {text}");
    }

    [Fact]
    public async Task AnOnlineMoveIntoTheClusterComparesEveryNodeRowByRowBeforeTheGate()
    {
        await using var site = await SiteAsync(sellers: 20);
        var output = new System.Text.StringBuilder();
        using var child = KillTests.StartChild(site, "Cluster", output, "-Online -PauseBeforeCutover");
        await OnlineControlTests.WaitForApprovalAsync(site, child, output);
        // While the run waits, node 3 alone changes a row nobody else touches: counts stay equal, and no changelog has it.
        const string Row = "(SELECT id FROM (SELECT id FROM flyokai_seller ORDER BY id LIMIT 1) first)";
        await OnNodeAloneAsync(2, site, $"UPDATE flyokai_seller SET slug = CONCAT(slug, '-n3') WHERE id = {Row}");

        PsHost.Invoke("Approve-DataMigrationCutover -ShopwareRoot $root", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();
        AssertNode3Named(child, output, "Step 4 catch_up");
        Assert.Contains("before the gate is set", output.ToString());
        Assert.False(await GateAsync(site), "the nodes are compared before the freeze");
        await AssertSelectorsAsync(site, "shopware");

        // The node mended, the rerun goes on and ends with every node equal.
        await OnNodeAloneAsync(2, site, $"UPDATE flyokai_seller SET slug = REPLACE(slug, '-n3', '') WHERE id = {Row}");
        var rerun = Migrate(site, "Cluster", "-Online -Verbose").AssertNoErrors();
        Assert.Contains(rerun.Verbose, v => v.Message.StartsWith("Verified every table on the other 2 node(s) of the Galera target"));
        var compared = await AssertEveryNodeEqualAsync(site, site.Shopware);
        await AssertSelectorsAsync(site, "cluster");
        FaultLedger.Fault("a Galera node that diverged during an online move's pause: named row by row before the gate, mended, rerun", compared * 3);
    }

    [Fact]
    public async Task AnOnlineMoveIntoTheClusterChecksEveryNodeUnderTheGate()
    {
        // The drain proof's deadline well beyond the few steps below, however slow the machine.
        await using var site = await SiteAsync(sellers: 20, drainSeconds: 60);
        // A request of the shop still open when the gate is set: the drain proof waits for it, and meanwhile node 3 alone
        // takes a row (after the nodes were compared row by row, before final_sync).
        await using var shop = new MySqlConnection(site.Shopware.ConnectionString);
        await shop.OpenAsync();
        var output = new System.Text.StringBuilder();
        using var child = KillTests.StartChild(site, "Cluster", output, "-Online -PauseBeforeCutover");
        await OnlineControlTests.WaitForApprovalAsync(site, child, output);
        await using (var open = new MySqlCommand("START TRANSACTION; SELECT 1 FROM flyokai_seller_group LIMIT 1", shop)) await open.ExecuteNonQueryAsync();
        PsHost.Invoke("Approve-DataMigrationCutover -ShopwareRoot $root", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await GateAsync(site) && !child.HasExited && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(await GateAsync(site), "the gate was not set: " + output);
        await OnNodeAloneAsync(2, site, "INSERT INTO flyokai_seller_group (id, name, created_at) VALUES (UNHEX(REPEAT('ab', 16)), 'node 3 only', UTC_TIMESTAMP())");
        await using (var done = new MySqlCommand("ROLLBACK", shop)) await done.ExecuteNonQueryAsync();
        AssertNode3Named(child, output, "Step 6 final_sync");
        Assert.Contains("flyokai_seller_group", output.ToString());
        Assert.True(await GateAsync(site));
        await AssertSelectorsAsync(site, "shopware");

        // The node mended, the rerun resumes under the gate and ends with every node equal.
        await OnNodeAloneAsync(2, site, "DELETE FROM flyokai_seller_group WHERE id = UNHEX(REPEAT('ab', 16))");
        var rerun = Migrate(site, "Cluster", "-Online").AssertNoErrors();
        Assert.Contains(rerun.Objects<StepResult>(), s => s.Step == "final_sync" && s.Summary?.Contains("on every node of the Galera target (3)") == true);
        var compared = await AssertEveryNodeEqualAsync(site, site.Shopware);
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        FaultLedger.Fault("a Galera node that diverged under an online move's gate: named by final_sync, mended, rerun", compared * 3);
    }

    [Fact]
    public async Task ChunksStayWithinTheWriteSetLimit()
    {
        await using var site = await SiteAsync(sellers: 40);
        foreach (var server in _galera.Servers) await Execute(server, "SET GLOBAL wsrep_max_ws_rows = 100");
        try
        {
            var run = PsHost.Invoke("Start-DataMigration -To Cluster -ShopwareRoot $root -ProfilePath $profile -Force -Debug",
                new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath }, allStreams: true).AssertNoErrors();

            var chunks = run.AllText().Split('\n').Where(l => l.Contains(": chunk ") && l.Contains(" row(s) after key")).ToList();
            Assert.NotEmpty(chunks);
            Assert.All(chunks, l => Assert.True(int.Parse(System.Text.RegularExpressions.Regex.Match(l, @": chunk \d+, (\d+) row\(s\)").Groups[1].Value) <= 50, l));
            Assert.Contains(chunks, l => l.Contains("flyokai_seller_offer_price: chunk 2,"));   // 160 rows: more than one write-set's worth
            await AssertEveryNodeEqualAsync(site, site.Shopware);
        }
        finally
        {
            foreach (var server in _galera.Servers) await Execute(server, "SET GLOBAL wsrep_max_ws_rows = 0");
        }
    }

    [Fact]
    public async Task ANodeOutsideThePrimaryComponentIsRefusedBeforeTheGate()
    {
        await using var site = await SiteAsync(extraProfile: NodesProfile);
        await _galera.IsolateAsync(2, isolated: true);
        try
        {
            var error = Migrate(site, "Cluster").SingleError();

            Assert.StartsWith("GaleraNotPrimary,", error.FullyQualifiedErrorId);
            Assert.Contains("Step 1 schema_check failed", error.Exception.Message);
            Assert.Contains(_galera.Addresses[2], error.Exception.Message);
            Assert.False(await GateAsync(site));
            await AssertSelectorsAsync(site, "shopware");
            FaultLedger.BadInput("run: a Galera node outside the primary component", "GaleraNotPrimary");
        }
        finally
        {
            await _galera.IsolateAsync(2, isolated: false);
        }

        Migrate(site, "Cluster").AssertNoErrors();
        await AssertEveryNodeEqualAsync(site, site.Shopware);
    }

    [Fact]
    public async Task ANodeKilledMidCopyStopsTheRunAtTheVerificationAndTheRerunEndsWithEveryNodeEqual()
    {
        await using var site = await SiteAsync(sellers: 40, extraProfile: ", \"chunkRows\": 5, \"parallelism\": 1");
        var running = Task.Run(() => Migrate(site, "Cluster"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((RunStateFile.Read(site)?.Chunks ?? 0) < 10 && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.False(running.IsCompleted, "the copy ended before the kill");
        _galera.Kill(2);
        try
        {
            var error = (await running).SingleError();

            // The copy goes on through node 1; the verification, which reads every node, stops with the gate set.
            Assert.StartsWith("GaleraNodeUnreachable,", error.FullyQualifiedErrorId);
            Assert.Contains("Step 5 integrity_check failed", error.Exception.Message);
            Assert.Contains(_galera.Addresses[2], error.Exception.Message);
            Assert.True(await GateAsync(site));
            await AssertSelectorsAsync(site, "shopware");
        }
        finally
        {
            await _galera.StartAgainAsync(2);
        }

        Migrate(site, "Cluster").AssertNoErrors();
        var compared = await AssertEveryNodeEqualAsync(site, site.Shopware);
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        FaultLedger.Fault("a Galera node killed mid-copy, the run stopped at the verification, the node restarted (IST), rerun", compared * 3);
    }

    [Fact]
    public async Task AWriteThroughASecondNodeBehindTheGateIsCaughtByTheDrainProof()
    {
        await using var site = await SiteAsync(sellers: 10);
        Migrate(site, "Cluster").AssertNoErrors();   // the data plane lives in the Galera cluster now
        var profile = File.ReadAllText(site.ProfilePath).Replace("\"drainSeconds\": 3", "\"drainSeconds\": 2");
        File.WriteAllText(site.ProfilePath, profile);

        // A request that passed the gate check just before it was set, on node 2: its transaction is still open.
        await using var shop = new MySqlConnection(_galera.Server(1).ConnectionString(site.Cluster.Name));
        await shop.OpenAsync();
        await using (var write = new MySqlCommand("START TRANSACTION; UPDATE flyokai_seller SET slug = CONCAT(slug, '!') LIMIT 1", shop)) await write.ExecuteNonQueryAsync();

        var error = Migrate(site, "Shopware").SingleError();

        Assert.StartsWith("DrainTimeout,", error.FullyQualifiedErrorId);
        Assert.Contains($"127.0.0.1:{_galera.Server(1).Port}", error.Exception.Message);
        Assert.True(await GateAsync(site));
        await using (var done = new MySqlCommand("ROLLBACK", shop)) await done.ExecuteNonQueryAsync();

        Migrate(site, "Shopware").AssertNoErrors();
        await AssertEveryNodeEqualAsync(site, site.Shopware);
        FaultLedger.Fault("a transaction open on a second Galera node when the gate was set: the drain proof waited, then refused; rerun");
    }

    [Fact]
    public async Task TheCopyWaitsWhileANodeFallsBehindAndGoesOnWhenItCatchesUp()
    {
        await using var site = await SiteAsync(sellers: 40, extraProfile: ", \"chunkRows\": 5, \"parallelism\": 1");
        var running = Task.Run(() => Migrate(site, "Cluster"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((RunStateFile.Read(site)?.Chunks ?? 0) < 2 && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.False(running.IsCompleted, "the copy ended before node 3 was held");
        // FLUSH TABLES WITH READ LOCK stops node 3 applying write-sets: they queue there while it is held.
        await using (var hold = new MySqlConnection(_galera.Server(2).ConnectionString()))
        {
            await hold.OpenAsync();
            await using (var flush = new MySqlCommand("FLUSH TABLES WITH READ LOCK", hold)) await flush.ExecuteNonQueryAsync();
            await Task.Delay(TimeSpan.FromSeconds(4));
            await using (var unlock = new MySqlCommand("UNLOCK TABLES", hold)) await unlock.ExecuteNonQueryAsync();
        }

        var run = (await running).AssertNoErrors();

        Assert.Contains(run.Progress, p => p.StatusDescription?.Contains($"paused: flow control on the Galera target (127.0.0.1:{_galera.Server(2).Port}") == true);
        var compared = await AssertEveryNodeEqualAsync(site, site.Shopware);
        FaultLedger.Fault("a Galera node held behind (FTWRL) mid-copy: the copy waited, then went on", compared * 3);
    }

    [Fact]
    public async Task ANodeKilledMidVerificationNamesItselfAndTheRerunEndsWithEveryNodeEqual()
    {
        await using var site = await SiteAsync(sellers: 40);
        var running = Task.Run(() => Migrate(site, "Cluster"));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        // The verification reads node 1, then 2, then 3: node 3 is killed as soon as the step begins.
        while (!running.IsCompleted && DateTime.UtcNow < deadline && RunStateFile.Read(site)?.Steps[4] != "Running") await Task.Delay(2);
        Assert.False(running.IsCompleted, "the run ended before its verification");
        _galera.Kill(2);
        try
        {
            var error = (await running).SingleError();

            Assert.Matches("^(GaleraNodeUnreachable|GaleraNodeNotSynced|GaleraNotPrimary),", error.FullyQualifiedErrorId);
            Assert.Contains("Step 5 integrity_check failed", error.Exception.Message);
            Assert.Contains(_galera.Addresses[2], error.Exception.Message);
            Assert.True(await GateAsync(site));
        }
        finally
        {
            await _galera.StartAgainAsync(2);
        }

        Migrate(site, "Cluster").AssertNoErrors();
        var compared = await AssertEveryNodeEqualAsync(site, site.Shopware);
        FaultLedger.Fault("a Galera node killed mid-verification, named by the error, restarted, rerun", compared * 3);
    }

    [Fact]
    public async Task ANodeThatHoldsOtherRowsNamesItself()
    {
        await using var site = await SiteAsync(sellers: 10);
        Migrate(site, "Cluster").AssertNoErrors();
        // A write on node 3 alone (wsrep_on=OFF for its session): the cluster's nodes now disagree.
        var node3 = _galera.Server(2).ConnectionString(site.Cluster.Name);
        await using (var c = new MySqlConnection(node3))
        {
            await c.OpenAsync();
            await using var local = new MySqlCommand("SET SESSION wsrep_on = OFF; UPDATE flyokai_seller SET slug = CONCAT(slug, '-local') ORDER BY id LIMIT 1; SET SESSION wsrep_on = ON", c);
            await local.ExecuteNonQueryAsync();
        }

        try
        {
            // Shopware as the reference: the Galera end is the one verified, on every node.
            var error = PsHost.Invoke("Test-DataIntegrity -Source Shopware -ShopwareRoot $root -ProfilePath $profile", new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath }).SingleError();

            Assert.StartsWith("GaleraNodesDiffer,", error.FullyQualifiedErrorId);
            Assert.Contains(_galera.Addresses[2], error.Exception.Message);
            Assert.Contains("flyokai_seller", error.Exception.Message);
        }
        finally
        {
            await using var c = new MySqlConnection(node3);
            await c.OpenAsync();
            await using var undo = new MySqlCommand("SET SESSION wsrep_on = OFF; UPDATE flyokai_seller SET slug = REPLACE(slug, '-local', ''); SET SESSION wsrep_on = ON", c);
            await undo.ExecuteNonQueryAsync();
        }

        PsHost.Invoke("Test-DataIntegrity -Source Shopware -ShopwareRoot $root -ProfilePath $profile", new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath }).AssertNoErrors();
    }

    [Fact]
    public async Task AClusterThatLosesQuorumStopsTheRunWithTheGateSet()
    {
        await using var site = await SiteAsync(sellers: 40, extraProfile: ", \"chunkRows\": 5, \"parallelism\": 1");
        var running = Task.Run(() => Migrate(site, "Cluster"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((RunStateFile.Read(site)?.Chunks ?? 0) < 2 && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.False(running.IsCompleted, "the copy ended before the quorum was lost");
        // Nodes 2 and 3 cut off: node 1, written through, is alone, a minority: it refuses writes.
        var isolate = Task.WhenAll(_galera.IsolateAsync(1, isolated: true), _galera.IsolateAsync(2, isolated: true));
        try
        {
            var error = (await running).SingleError();
            await isolate;

            Assert.StartsWith("GaleraNotPrimary,", error.FullyQualifiedErrorId);
            Assert.Contains("not in the primary component", error.Exception.Message);
            Assert.True(await GateAsync(site), "the gate must stay set");
            await AssertSelectorsAsync(site, "shopware");
        }
        finally
        {
            await isolate;
            await Task.WhenAll(_galera.IsolateAsync(1, isolated: false), _galera.IsolateAsync(2, isolated: false));
            await _galera.WaitAllSyncedAsync();
        }

        Migrate(site, "Cluster").AssertNoErrors();
        var compared = await AssertEveryNodeEqualAsync(site, site.Shopware);
        FaultLedger.Fault("a Galera cluster that lost quorum mid-copy: stopped with the gate set; quorum restored, rerun", compared * 3);
    }

    [Fact]
    public async Task TheRunLockHoldsOnEveryNodeOfAGaleraShopwareDatabase()
    {
        // GET_LOCK is local to a node: two installations reaching Shopware's database through different nodes
        // must still exclude each other, so the lock is taken on every node.
        await using var database = await _galera.CreateDatabaseAsync("mmsw");
        TestDatabase On(int node) => new(_galera.Server(node), database.Name);
        var first = Path.Combine(Path.GetTempPath(), "mm-lock-a-" + Guid.NewGuid().ToString("N"));
        var second = Path.Combine(Path.GetTempPath(), "mm-lock-b-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var held = await Engine.State.RunLock.AcquireAsync(first, On(0).AsTarget(Engine.Connections.EndpointRole.Shopware),
                new[] { On(1), On(2) }.Select(d => d.AsTarget(Engine.Connections.EndpointRole.Shopware)).ToList(), null!, default);

            var refused = await Assert.ThrowsAsync<Engine.Errors.MigrationException>(() => Engine.State.RunLock.AcquireAsync(second,
                On(1).AsTarget(Engine.Connections.EndpointRole.Shopware), Array.Empty<Engine.Connections.ConnectionTarget>(), null!, default));
            Assert.Equal(Engine.Errors.ErrorIds.RunInProgress, refused.ErrorId);
            Assert.Contains($":{_galera.Server(1).Port}/", refused.Message);
        }
        finally
        {
            foreach (var dir in new[] { first, second }) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }

        // Released with the sessions: the second installation takes it now.
        using var now = await Engine.State.RunLock.AcquireAsync(second, On(1).AsTarget(Engine.Connections.EndpointRole.Shopware), null!, default);
        Directory.Delete(second, recursive: true);
    }

    [Fact]
    public async Task TheSchemaMigrationLockHoldsOnEveryNodeOfAGaleraEndpoint()
    {
        // Invoke-SchemaMigration reaches the cluster's database through node 0; another one holds the schema lock through
        // node 1. GET_LOCK is local to a node, so without the lock on every node both would change the schema at once.
        await using var site = await SiteAsync(extraProfile: NodesProfile);
        var project = Path.Combine(site.Root, "migrations");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "Migration20260101000000AddA.sql"),
            "-- @endpoint: Cluster\n-- @update\nALTER TABLE flyokai_seller ADD COLUMN mig_a INT NULL;\n-- @updateDestructive\n");
        PsRun Invoke() => PsHost.Invoke("Invoke-SchemaMigration -Endpoint Cluster -ShopwareRoot $root -Source $project",
            new Dictionary<string, object?> { ["root"] = site.Root, ["project"] = project }, allStreams: true);
        async Task<bool> ColumnOnNode2() => Convert.ToInt64(await new TestDatabase(_galera.Server(2), site.Cluster.Name).ScalarAsync(
            "SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'flyokai_seller' AND COLUMN_NAME = 'mig_a'")) == 1;

        await using (var other = new MySqlConnection(_galera.Server(1).ConnectionString(site.Cluster.Name) + ";Pooling=false"))
        {
            await other.OpenAsync();
            await using (var hold = new MySqlCommand("SELECT GET_LOCK(CONCAT('MarketplaceMigration:schema:', DATABASE()), 0)", other))
                Assert.Equal(1L, Convert.ToInt64(await hold.ExecuteScalarAsync()));

            var error = Invoke().SingleError();
            Assert.StartsWith("SchemaMigrationInProgress,", error.FullyQualifiedErrorId);
            Assert.Contains($":{_galera.Server(1).Port}/", error.Exception.Message);
            Assert.False(await ColumnOnNode2());
        }

        // The other session ended, and with it its lock: the migration runs, and every node has its column.
        Invoke().AssertNoErrors();
        Assert.True(await ColumnOnNode2());
    }

    private static async Task Execute(TestServer server, string sql)
    {
        await using var c = new MySqlConnection(server.ConnectionString());
        await c.OpenAsync();
        await using var command = new MySqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }
}
