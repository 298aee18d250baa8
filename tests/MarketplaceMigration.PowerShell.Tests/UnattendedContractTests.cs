using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// What Ansible and CI rely on: completion of the values an operator types, a failure that stops a
/// script and names its id and step, $? and -ErrorAction Stop as PowerShell users expect, a non-zero
/// exit code from a non-interactive host, and output objects that serialise to JSON without cycles or secrets.
/// </summary>
public sealed class UnattendedContractTests
{
    private static List<string> Complete(string line, IDictionary<string, object?>? variables = null)
    {
        var run = PsHost.Invoke($"(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText",
            new Dictionary<string, object?>(variables ?? new Dictionary<string, object?>()) { ["line"] = line }).AssertNoErrors();
        return run.Output.Select(o => o.ToString()).ToList();
    }

    [Fact]
    public void TablesDirectionsEndpointsAndVerificationModesComplete()
    {
        Assert.Equal(Engine.DataPlane.DataPlaneTables.Default.Where(t => t.StartsWith("flyokai_sell", StringComparison.Ordinal)).OrderBy(t => t),
            Complete("Test-SchemaParity -Table flyokai_sell").OrderBy(t => t));
        Assert.True(Complete("Test-SchemaParity -Table flyokai_sell").Count >= 5);
        Assert.Equal(new[] { "Cluster", "Shopware" }, Complete("Start-DataMigration -To ").OrderBy(t => t));
        Assert.Equal(new[] { "Cluster" }, Complete("Copy-DataPlane -To Cl"));
        Assert.Equal(new[] { "Both", "Cluster", "Shopware" }, Complete("Invoke-SchemaMigration -Endpoint ").OrderBy(t => t));
        Assert.Equal(new[] { "Full", "Sample" }, Complete("Test-DataIntegrity -Verification ").OrderBy(t => t));
    }

    [Fact]
    public void TablesCompleteFromTheProfileOnTheLine()
    {
        var profile = Path.Combine(Path.GetTempPath(), "mm-complete-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(profile, "{ \"tables\": [\"flyokai_seller\", \"flyokai_order_extra\"] }");
        try
        {
            Assert.Equal(new[] { "flyokai_order_extra" }, Complete($"Get-MigrationProfile -ProfilePath '{profile}' -Table flyokai_o"));
        }
        finally
        {
            File.Delete(profile);
        }
    }

    [Fact]
    public async Task AFailureStopsTheScriptSetsDollarQuestionFalseAndIsCaughtWithItsIdAndStep()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.Cluster.ExecuteAsync("ALTER TABLE flyokai_payout MODIFY amount DECIMAL(14,4) NOT NULL");
        var v = new Dictionary<string, object?> { ["root"] = site.Root };

        var dollar = PsHost.Invoke("Start-DataMigration -To Cluster -Force -ShopwareRoot $root; \"status=$?\"", v);
        var stop = PsHost.Invoke("Start-DataMigration -To Cluster -Force -ShopwareRoot $root -ErrorAction Stop; 'not reached'", v);
        var preference = PsHost.Invoke("$ErrorActionPreference = 'Stop'; Start-DataMigration -To Cluster -Force -ShopwareRoot $root; 'not reached'", v);
        var continues = PsHost.Invoke("Start-DataMigration -To Cluster -Force -ShopwareRoot $root; 'next statement'", v);
        var caught = PsHost.Invoke("try { Start-DataMigration -To Cluster -Force -ShopwareRoot $root } catch { \"caught $($_.FullyQualifiedErrorId) in $($_.CategoryInfo.Category): $($_.Exception.Message)\" }", v).AssertNoErrors();

        Assert.Contains("status=False", dollar.Output.Select(o => o.ToString()));
        Assert.DoesNotContain("not reached", stop.Output.Select(o => o.ToString()));
        var stopped = stop.Errors.Concat(stop.Terminating?.ErrorRecord is { } t ? new[] { t } : Array.Empty<ErrorRecord>()).ToList();
        Assert.NotEmpty(stopped);
        Assert.All(stopped, e => Assert.StartsWith("SchemaDrift,", e.FullyQualifiedErrorId));
        Assert.DoesNotContain("not reached", preference.Output.Select(o => o.ToString()));
        Assert.Contains("next statement", continues.Output.Select(o => o.ToString()));    // a terminating error ends the statement, not the script
        var line = caught.Output.Select(o => o.ToString()).Single(o => o.StartsWith("caught", StringComparison.Ordinal));
        Assert.StartsWith("caught SchemaDrift,MarketplaceMigration.PowerShell.Cmdlets.StartDataMigrationCommand in InvalidOperation: Step 1 schema_check failed", line);
    }

    [Fact]
    public async Task ANonInteractiveHostExitsNonZeroWithTheErrorIdAndStepInItsLastLines()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.Cluster.ExecuteAsync("ALTER TABLE flyokai_payout MODIFY amount DECIMAL(14,4) NOT NULL");
        // The hosted engine as a process, the way `pwsh -NonInteractive -c '...'` runs a CI step.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mmhost.dll"));
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"Start-DataMigration -To Cluster -Force -ShopwareRoot '{site.Root}'");
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = await child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();

        Assert.NotEqual(0, child.ExitCode);
        var last = stderr.TrimEnd().Split('\n').TakeLast(3).ToList();
        Assert.Contains(last, l => l.Contains("SchemaDrift") && l.Contains("Step 1 schema_check"));
        foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, stderr + await stdout);
    }

    [Fact]
    public async Task EveryOutputObjectSerialisesToJsonWithoutCyclesOrSecrets()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 5);
        var p = "-ShopwareRoot $root -ProfilePath $profile";
        var script = string.Join("; ", $"Get-MigrationProfile {p}", $"Test-SchemaParity {p} -Table flyokai_seller", $"Get-MaintenanceGate {p}", $"Get-DataLocation {p}",
            $"Start-DataMigration -To Cluster {p} -Force", $"Get-MigrationState {p}", $"Test-DataIntegrity {p}", $"Compare-DataPlane {p}", $"Test-MarketplaceCluster {p}",
            $"Set-MaintenanceGate {p} -PassThru -Confirm:$false", $"Copy-DataPlane -To Shopware {p} -Confirm:$false",
            $"Restart-MarketplaceCluster {p} -Confirm:$false", $"Clear-MaintenanceGate {p} -PassThru -Confirm:$false");
        var variables = new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath, ["migrations"] = Path.Combine(site.Root, "migrations") };
        var outputs = PsHost.Invoke(script, variables).AssertNoErrors().Output.ToList();
        // Differences and migrations, for their types too.
        await site.Cluster.ExecuteAsync("UPDATE flyokai_seller SET status = 'changed' WHERE slug = 'seller-1'; ALTER TABLE flyokai_seller ADD COLUMN extra INT NULL");
        await site.Shopware.ExecuteAsync("ALTER TABLE flyokai_seller_group MODIFY name VARCHAR(100) NOT NULL");
        Directory.CreateDirectory(Path.Combine(site.Root, "migrations"));
        File.WriteAllText(Path.Combine(site.Root, "migrations", "Migration20260101000000Noop.sql"), "-- @update\nSELECT 1;\n");
        var drift = PsHost.Invoke($"Compare-DataPlane {p}", variables);
        Assert.StartsWith("SchemaDrift,", drift.SingleError().FullyQualifiedErrorId);     // not a server error about a column
        await site.Cluster.ExecuteAsync("ALTER TABLE flyokai_seller DROP COLUMN extra");
        outputs.AddRange(PsHost.Invoke($"Test-SchemaParity {p} -Table flyokai_seller_group; Compare-DataPlane {p}; Invoke-SchemaMigration {p} -Source $migrations -Confirm:$false; Get-SchemaMigration {p} -Source $migrations", variables).AssertNoErrors().Output);

        var types = new HashSet<string>();
        foreach (var o in outputs)
        {
            // ConvertTo-Json reads the same public properties; System.Text.Json refuses a cycle (depth 64).
            var json = JsonSerializer.Serialize(o.BaseObject, o.BaseObject.GetType(), new JsonSerializerOptions { MaxDepth = 64 });
            foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, json);
            types.Add(o.BaseObject.GetType().Name);
        }

        Assert.True(types.Count >= 13, "output types seen: " + string.Join(", ", types));
    }

    [Fact]
    public async Task VerboseAndDebugTellEachStepServerTableChunkAndTiming()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 9, extraProfile: ", \"chunkRows\": 4");

        var run = Migrate(site, "Cluster").AssertNoErrors();

        var verbose = run.Verbose.Select(v => v.Message).ToList();
        foreach (var step in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 10 }) Assert.Contains(verbose, v => v.StartsWith($"Step {step} ", StringComparison.Ordinal) && v.Contains("(attempt 1)"));
        Assert.Contains(verbose, v => v.StartsWith("Step 9 drop_source_tables: skipped", StringComparison.Ordinal));
        Assert.Contains(verbose, v => v.StartsWith("Step 4 import_tables (attempt 1): empty the", StringComparison.Ordinal) && v.Contains(site.Cluster.Name));
        Assert.Contains(verbose, v => v.StartsWith("Verified flyokai_seller", StringComparison.Ordinal) && v.Contains(" s."));
        Assert.Contains(run.Debug.Select(d => d.Message), d => d.StartsWith("flyokai_seller: chunk 2, 4 row(s) after key (", StringComparison.Ordinal) && d.Contains(site.Cluster.Name) && d.Contains(" s; next chunk"));
        foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, run.AllText());
    }
}
