using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>A real child process running the migration, killed with SIGKILL mid-copy and mid-flip; the rerun ends correct.</summary>
public sealed class KillTests
{
    internal static Process StartChild(ShopwareSite site, string to = "Cluster") => StartChild(site, to, null);

    /// <summary>Starts the migration in a child process; its output lines go to <paramref name="output"/> when given.</summary>
    internal static Process StartChild(ShopwareSite site, string to, System.Text.StringBuilder? output, string extra = "")
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mmhost.dll"));
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"Start-DataMigration -To {to} -ShopwareRoot '{site.Root}' -ProfilePath '{site.ProfilePath}' -Force {extra}");
        var child = Process.Start(start)!;
        child.OutputDataReceived += (_, e) => { if (output != null && e.Data != null) lock (output) output.AppendLine(e.Data); };
        child.ErrorDataReceived += (_, e) => { if (output != null && e.Data != null) lock (output) output.AppendLine(e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Waits up to <paramref name="milliseconds"/> for a child from <see cref="StartChild(ShopwareSite, string, System.Text.StringBuilder?, string)"/>
    /// to end, and then for its last output lines: WaitForExit with a timeout returns before the asynchronous output
    /// handlers have run for the end of the output (where the error is), so an assertion on the output right after it is a race.
    /// </summary>
    internal static bool Ended(Process child, int milliseconds)
    {
        if (!child.WaitForExit(milliseconds))
            return false;
        child.WaitForExit();
        return true;
    }

    private static async Task WaitForStateAsync(ShopwareSite site, Process child, Func<JsonElement, bool> condition)
    {
        var path = Path.Combine(site.Root, "var", "marketplace", "migration.state");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(child.HasExited, "the migration ended before the kill point was reached");
            try
            {
                using var state = JsonDocument.Parse(File.ReadAllText(path));
                if (condition(state.RootElement)) return;
            }
            catch (Exception ex) when (ex is IOException or JsonException)
            {
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("the kill point was not reached");
    }

    private static async Task<List<long>> ReadIdsAsync(MySqlCommand command)
    {
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(Convert.ToInt64(reader.GetValue(0)));
        return ids;
    }

    internal static void KillHard(Process child)
    {
        child.Kill(entireProcessTree: true);     // SIGKILL: no cleanup code runs
        child.WaitForExit();
    }

    [Fact]
    public async Task KilledDuringImportTablesTheRerunEndsCorrect()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 40, extraProfile: ", \"chunkRows\": 3");
        using var child = StartChild(site);

        await WaitForStateAsync(site, child, s =>
            s.GetProperty("steps")[3].GetProperty("status").GetString() == "Running"
            && s.GetProperty("copy").EnumerateArray().Any(c => c.GetProperty("chunksCopied").GetInt32() > 2 && !c.GetProperty("complete").GetBoolean()));
        KillHard(child);

        Assert.True(await GateAsync(site));
        var rerun = Migrate(site, "Cluster").AssertNoErrors();

        var steps = rerun.Objects<StepResult>().ToList();
        Assert.All(steps.Take(3), s => Assert.False(s.Executed));
        Assert.Equal(2, steps[3].Attempts);
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        Assert.Contains(rerun.Warnings, w => w.Message.Contains("Reclaimed the run lock"));
    }

    [Fact]
    public async Task KilledBetweenTheTwoSelectorWritesTheRerunReconciles()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 10);
        // A session holding the dataLocation row makes the flip stop between its two writes.
        // (From another default database: the drain proof of step 2 rightly waits for the source database's own transactions.)
        await using var holder = new MySqlConnection(site.Shopware.Server.ConnectionString("mysql") + ";Pooling=false");
        await holder.OpenAsync();
        await using (var hold = new MySqlCommand($"BEGIN; SELECT * FROM `{site.Shopware.Name}`.system_config WHERE configuration_key = 'FlyokaiMarketplaceRemote.config.dataLocation' FOR UPDATE", holder)) await hold.ExecuteNonQueryAsync();
        using var child = StartChild(site);

        await WaitForStateAsync(site, child, s => s.TryGetProperty("flip", out var flip) && flip.ValueKind == JsonValueKind.Object && flip.GetProperty("fileWritten").GetBoolean());
        KillHard(child);
        // A killed client's blocked statement still runs on the server once the lock is free: end it there too.
        await using (var kill = new MySqlCommand("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE system_config%'", holder))
        {
            foreach (var id in await ReadIdsAsync(kill)) await using (var k = new MySqlCommand($"KILL {id}", holder)) await k.ExecuteNonQueryAsync();
        }

        await using (var release = new MySqlCommand("ROLLBACK", holder)) await release.ExecuteNonQueryAsync();

        Assert.Contains("\"active\": \"cluster\"", File.ReadAllText(site.ClusterConfigPath));   // split selectors ...
        Assert.True(await GateAsync(site));                                                       // ... behind the gate
        var location = PsHost.Invoke("Get-DataLocation -ShopwareRoot $root", new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();
        Assert.False((bool)location.Output.Single().Properties["Agree"].Value);

        var rerun = Migrate(site, "Cluster").AssertNoErrors();

        var steps = rerun.Objects<StepResult>().ToList();
        Assert.All(steps.Take(5), s => Assert.False(s.Executed));
        Assert.Equal(2, steps[5].Attempts);
        await AssertSelectorsAsync(site, "cluster");
        Assert.False(await GateAsync(site));
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }
}
