using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>The Ansible task and CI job of docs/moving.md, run as far as this machine allows: their PowerShell through the hosted engine.</summary>
public sealed class ReadmeContractTests
{
    private static string Readme => File.ReadAllText(Path.Combine(HelpSource.RepoRoot, "docs", "moving.md"));

    [Fact]
    public async Task TheAnsibleTasksCommandMovesTheDataAndASecondRunIsAlreadyDoneWithNoError()
    {
        var command = Regex.Match(Readme, "\"(Import-Module MarketplaceMigration; Start-DataMigration[^\"]*)\"").Groups[1].Value;
        Assert.Contains("-Force", command);
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 6);
        var script = command.Replace("Import-Module MarketplaceMigration; ", string.Empty).Replace(" | ConvertTo-Json -Depth 5", string.Empty)
            .Replace("/var/www/shopware", $"'{site.Root}' -ProfilePath '{site.ProfilePath}'");

        var first = PsHost.Invoke(script).AssertNoErrors();
        var again = PsHost.Invoke(script);

        Assert.Equal(10, first.Objects<StepResult>().Count());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(site.ClusterConfigPath)!, "*.bak"));   // the flip's backup goes with the finished run
        await AssertSelectorsAsync(site, "cluster");
        // The rerun of a finished move is "already done": no error (rc 0), no step executed (the task's changed_when says "not changed").
        again.AssertNoErrors();
        Assert.Equal(10, again.Objects<StepResult>().Count());
        Assert.All(again.Objects<StepResult>(), s => Assert.False(s.Executed));
        Assert.Contains(again.Warnings, w => w.Message.StartsWith("Already done", System.StringComparison.Ordinal));
        Assert.Contains("changed_when: move.stdout is search('\"Executed\": true')", Readme);
        await AssertSelectorsAsync(site, "cluster");
    }

    [Fact]
    public async Task TheCiJobsScriptRunsGreen()
    {
        var block = Regex.Match(Readme, @"- run: \|\n((?:        .*\n)+)").Groups[1].Value;
        var lines = block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("Import-Module", System.StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.StartsWith("Start-DataMigration", System.StringComparison.Ordinal));
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 6);
        await site.Cluster.ExecuteAsync("ALTER TABLE flyokai_seller ADD COLUMN extra INT NULL");
        Directory.CreateDirectory(Path.Combine(site.Root, "migrations"));
        File.WriteAllText(Path.Combine(site.Root, "migrations", "Migration20260101000000DropExtra.sql"), "-- @endpoint: Cluster\n-- @update\nALTER TABLE flyokai_seller DROP COLUMN extra;\n");
        var script = string.Join("\n", lines).Replace("/var/www/shopware", $"'{site.Root}' -ProfilePath '{site.ProfilePath}'");

        PsHost.Invoke(script).AssertNoErrors();

        await AssertSelectorsAsync(site, "cluster");
        await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(typeProbe: false));
    }
}
