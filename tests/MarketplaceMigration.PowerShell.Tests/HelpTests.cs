using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>Help for every cmdlet from one source (docs/help.yml), shipped as MAML, shown by Get-Help, and its examples run against real servers.</summary>
public sealed class HelpTests
{
    [Fact]
    public void TheShippedHelpAndTheCmdletReferenceAreGeneratedFromTheOneSource()
    {
        var help = HelpSource.Load();
        var maml = HelpSource.Maml(help);
        var readmePath = Path.Combine(HelpSource.RepoRoot, "docs", "cmdlets.md");
        var readme = File.ReadAllText(readmePath);
        var begin = readme.IndexOf("<!-- cmdlet-reference:begin", StringComparison.Ordinal);
        var end = readme.IndexOf(HelpSource.ReadmeEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/cmdlets.md needs the cmdlet-reference markers");
        var section = HelpSource.Readme(help);
        if (Environment.GetEnvironmentVariable("MM_REGENERATE") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(HelpSource.MamlPath)!);
            File.WriteAllText(HelpSource.MamlPath, maml);
            File.WriteAllText(readmePath, readme.Substring(0, begin) + section + readme.Substring(end + HelpSource.ReadmeEnd.Length));
            return;
        }

        Assert.True(File.Exists(HelpSource.MamlPath) && File.ReadAllText(HelpSource.MamlPath) == maml, "module/en-US help is stale: run the tests once with MM_REGENERATE=1 and commit the result");
        Assert.True(readme.Substring(begin, end + HelpSource.ReadmeEnd.Length - begin) == section, "docs/cmdlets.md is stale: run the tests once with MM_REGENERATE=1 and commit the result");
    }

    [Fact]
    public void TheSourceCoversExactlyTheExportedCmdletsWithTwoExamplesEach()
    {
        var help = HelpSource.Load();
        var exported = PsHost.Invoke("(Get-Module MarketplaceMigration).ExportedCmdlets.Keys").AssertNoErrors().Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
        Assert.Equal(exported, help.Select(h => h.Name).OrderBy(n => n));
        Assert.Equal(exported, HelpSource.Cmdlets().Keys.OrderBy(n => n));
        foreach (var h in help)
        {
            Assert.True(h.Examples.Count >= 2, $"{h.Name} has fewer than two examples");
            Assert.False(string.IsNullOrWhiteSpace(h.Synopsis), h.Name);
            Assert.False(string.IsNullOrWhiteSpace(h.Description), h.Name);
            foreach (var p in HelpSource.Parameters(HelpSource.Cmdlets()[h.Name])) Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{h.Name} -{p.Name} has no description (a doc comment)");
        }
    }

    public static TheoryData<string> CmdletNames() => new(HelpSource.Load().Select(h => h.Name));

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void GetHelpFullShowsSynopsisEveryParameterAndTheExamples(string cmdlet)
    {
        var run = PsHost.Invoke($"Get-Help {cmdlet} -Full").AssertNoErrors();

        var info = run.Output.Single();
        var expected = HelpSource.Load().Single(h => h.Name == cmdlet);
        Assert.Equal(expected.Synopsis, info.Properties["Synopsis"].Value?.ToString()?.Trim());
        var parameters = ((PSObject)info.Properties["parameters"].Value).Properties["parameter"].Value;
        var names = (parameters is object[] many ? many : new[] { parameters }).Select(p => PSObject.AsPSObject(p).Properties["name"].Value.ToString()).ToList();
        foreach (var p in HelpSource.Parameters(HelpSource.Cmdlets()[cmdlet])) Assert.Contains(p.Name, names);
        var examples = ((PSObject)info.Properties["examples"].Value).Properties["example"].Value;
        Assert.Equal(expected.Examples.Count, examples is object[] list ? list.Length : 1);
    }

    [Fact]
    public void TheAboutTopicExplainsTheStepsTheGateResumeAndTroubleshooting()
    {
        var text = string.Join("\n", PsHost.Invoke("Get-Help about_MarketplaceMigration").AssertNoErrors().Output.Select(o => o.ToString()));
        foreach (var part in new[] { "THE TEN STEPS", "THE MAINTENANCE GATE", "RESUME", "TROUBLESHOOTING", "flip_data_location" }) Assert.Contains(part, text);
    }

    [Fact]
    public async Task EveryRunnableExampleRunsGreenAgainstRealServersInOrder()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 10);
        var examples = HelpSource.Load().SelectMany(h => h.Examples).Where(e => e.Run).ToList();
        Assert.True(examples.Count >= 20, $"only {examples.Count} runnable examples");

        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { PsHost.ModuleManifest });
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        runspace.SessionStateProxy.Path.SetLocation(site.Root);
        // As an operator would: the profile once, for every cmdlet of the session.
        runspace.SessionStateProxy.SetVariable("PSDefaultParameterValues", new DefaultParameterDictionary { ["*:ProfilePath"] = site.ProfilePath });
        foreach (var example in examples)
        {
            using var ps = System.Management.Automation.PowerShell.Create(runspace);
            ps.AddScript(example.Code);
            try
            {
                ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                throw new Xunit.Sdk.XunitException($"{example.Cmdlet} example '{example.Title}' threw: {ex.Message}");
            }

            Assert.True(ps.Streams.Error.Count == 0, $"{example.Cmdlet} example '{example.Title}' wrote errors: {string.Join(" | ", ps.Streams.Error.Select(e => e.ToString()))}");
        }

        await StartDataMigrationCommandTests.AssertSelectorsAsync(site, "shopware");     // the examples end where they began
        Assert.False(await StartDataMigrationCommandTests.GateAsync(site));
    }
}
