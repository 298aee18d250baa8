using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.PowerShell.Cmdlets;
using MarketplaceMigration.PowerShell.Internal;
using Xunit;

namespace MarketplaceMigration.PowerShell.Tests;

public sealed class ModuleTests
{
    private static readonly Assembly ModuleAssembly = typeof(GetMigrationProfileCommand).Assembly;

    private static IEnumerable<Type> CmdletTypes() => ModuleAssembly.GetTypes().Where(t => t.GetCustomAttribute<CmdletAttribute>() != null);

    private static string Name(Type cmdlet)
    {
        var a = cmdlet.GetCustomAttribute<CmdletAttribute>()!;
        return a.VerbName + "-" + a.NounName;
    }

    [Fact]
    public void ManifestExportsExactlyTheCompiledCmdlets()
    {
        var run = PsHost.Invoke("(Get-Module MarketplaceMigration).ExportedCmdlets.Keys").AssertNoErrors();

        Assert.Equal(CmdletTypes().Select(Name).OrderBy(n => n), run.Output.Select(o => o.ToString()).OrderBy(n => n));
    }

    [Fact]
    public void ManifestVersionIsStampedFromTheBuild()
    {
        var props = File.ReadAllText(Path.Combine(RepoRoot(), "Directory.Build.props"));
        var version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;

        var run = PsHost.Invoke("(Get-Module MarketplaceMigration).Version.ToString()").AssertNoErrors();

        Assert.Equal(version, Assert.Single(run.Output).ToString());
        Assert.DoesNotContain("{{", File.ReadAllText(PsHost.ModuleManifest));
    }

    [Fact]
    public void TheManifestIsReadyToPublish()
    {
        var run = PsHost.Invoke("$m = Test-ModuleManifest $path; $m.Description; $m.PrivateData.PSData.Tags.Count; $m.PrivateData.PSData.LicenseUri; $m.PrivateData.PSData.ReleaseNotes; $m.CompatiblePSEditions -join ','; $m.Version",
            new Dictionary<string, object?> { ["path"] = PsHost.ModuleManifest }).AssertNoErrors();

        var values = run.Output.Select(o => o?.ToString() ?? string.Empty).ToList();
        Assert.Contains("Flyokai", values[0]);
        Assert.True(int.Parse(values[1], System.Globalization.CultureInfo.InvariantCulture) >= 5);
        Assert.StartsWith("https://", values[2]);
        Assert.Contains("CHANGELOG.md", values[3]);
        Assert.Equal("Core", values[4]);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "CHANGELOG.md")));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "en-US", "MarketplaceMigration.PowerShell.dll-Help.xml")));
    }

    [Fact]
    public void TheStagedModuleListsEveryAssemblyTheModuleLoads()
    {
        var targets = File.ReadAllText(Path.Combine(HelpSource.RepoRoot, "build", "Module.targets"));
        var engine = typeof(Engine.Errors.MigrationException).Assembly;
        foreach (var reference in engine.GetReferencedAssemblies().Concat(typeof(Cmdlets.StartDataMigrationCommand).Assembly.GetReferencedAssemblies())
                     .Where(r => r.Name is not ("netstandard" or "System.Management.Automation") && File.Exists(Path.Combine(AppContext.BaseDirectory, r.Name + ".dll"))))
        {
            Assert.True(targets.Contains(reference.Name + ".dll", StringComparison.Ordinal), $"{reference.Name}.dll is not staged with the module (build/Module.targets)");
        }
    }

    [Fact]
    public void EveryCmdletDeclaresItsOutputTypesAndEachHasAView()
    {
        var formatFile = Path.Combine(AppContext.BaseDirectory, "MarketplaceMigration.Format.ps1xml");
        _ = new FormatTable(new[] { formatFile });
        var viewed = XDocument.Load(formatFile).Descendants("TypeName").Select(e => e.Value).ToHashSet();

        foreach (var cmdlet in CmdletTypes())
        {
            var outputs = cmdlet.GetCustomAttributes<OutputTypeAttribute>().SelectMany(a => a.Type).Select(t => t.Type).ToList();
            Assert.True(outputs.Count > 0, Name(cmdlet) + " has no [OutputType]");
            foreach (var type in outputs.Where(t => t != typeof(bool) && t != typeof(FileInfo)))   // FileInfo: pwsh's own view
            {
                Assert.True(viewed.Contains(type!.FullName!), $"{type.FullName} ({Name(cmdlet)}) has no view in the format file");
            }
        }
    }

    [Fact]
    public void ImportingShowsNothingOnAnyStream()
    {
        var run = PsHost.Invoke("Import-Module $manifest -Force", new Dictionary<string, object?> { ["manifest"] = PsHost.ModuleManifest }, allStreams: true);

        run.AssertNoErrors();
        Assert.Empty(run.Warnings);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData(MigrationErrorKind.InvalidInput, ErrorCategory.InvalidArgument)]
    [InlineData(MigrationErrorKind.NotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(MigrationErrorKind.TargetNotEmpty, ErrorCategory.ResourceExists)]
    [InlineData(MigrationErrorKind.Connection, ErrorCategory.ConnectionError)]
    [InlineData(MigrationErrorKind.Permission, ErrorCategory.PermissionDenied)]
    [InlineData(MigrationErrorKind.PreflightFailed, ErrorCategory.InvalidOperation)]
    [InlineData(MigrationErrorKind.VerificationFailed, ErrorCategory.InvalidResult)]
    [InlineData(MigrationErrorKind.CheckpointIncompatible, ErrorCategory.InvalidData)]
    [InlineData(MigrationErrorKind.Timeout, ErrorCategory.OperationTimeout)]
    [InlineData(MigrationErrorKind.Canceled, ErrorCategory.OperationStopped)]
    [InlineData(MigrationErrorKind.OwnershipAmbiguous, ErrorCategory.InvalidOperation)]
    [InlineData(MigrationErrorKind.Unspecified, ErrorCategory.NotSpecified)]
    public void EachErrorKindMapsToOneCategory(MigrationErrorKind kind, ErrorCategory category)
    {
        var record = ErrorRecordFactory.Create(new MigrationException("SomeId", kind, "target", "It failed.", "do this."));

        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Equal("SomeId", record.FullyQualifiedErrorId);
        Assert.Equal("target", record.TargetObject);
        Assert.Equal("do this.", record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void EveryErrorIdIsListedInDocsErrors()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "errors.md"));
        var ids = typeof(ErrorIds).GetFields().Select(f => (string)f.GetValue(null)!);

        Assert.All(ids, id => Assert.Contains("`" + id + "`", readme));
    }

    [Fact]
    public void EveryScriptInTheRepositoryParses()
    {
        // pwsh is not on the build machines: the real parser at least keeps the Pester tests and build.ps1 free of syntax errors.
        var scripts = Directory.GetFiles(RepoRoot(), "*.ps1", SearchOption.AllDirectories).Where(f => !f.Contains("/bin/") && !f.Contains("/obj/")).ToList();
        Assert.Contains(scripts, f => f.EndsWith("build.ps1"));
        Assert.True(scripts.Count(f => f.Contains("/tests/Pester/")) >= 5);
        foreach (var script in scripts)
        {
            System.Management.Automation.Language.Parser.ParseFile(script, out _, out var errors);
            Assert.True(errors.Length == 0, $"{script}: " + string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}")));
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MarketplaceMigration.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("The repository root (MarketplaceMigration.sln) is not above " + AppContext.BaseDirectory);
    }
}
