using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// The staged module (out/MarketplaceMigration, as users get it) imported into a bare PowerShell host
/// that already holds its own MySqlConnector in the default load context, as a session with another
/// module would: the engine and its libraries load from dependencies/ into the module's own context,
/// and the cmdlets work against real servers.
/// </summary>
public sealed class DependencyIsolationTests
{
    [Fact]
    public async Task TheStagedModuleLoadsItsOwnLibrariesBesideAnotherCopyOfMySqlConnector()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;   // .../bin/<Configuration>/net10.0/
        var host = Path.Combine(HelpSource.RepoRoot, "tools", "MarketplaceMigration.PlainHost", "bin", configuration, "net10.0", "plainhost.dll");
        var manifest = Path.Combine(HelpSource.RepoRoot, "out", "MarketplaceMigration", "MarketplaceMigration.psd1");
        Assert.True(File.Exists(host), $"{host} is missing: build the solution (dotnet build MarketplaceMigration.sln)");
        Assert.True(File.Exists(manifest), $"{manifest} is missing: build the solution (dotnet build MarketplaceMigration.sln)");
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(manifest)!, "dependencies", "MarketplaceMigration.Engine.dll")));
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        Directory.CreateDirectory(Path.Combine(site.Root, "migrations"));
        File.WriteAllText(Path.Combine(site.Root, "migrations", "Migration20260101000000Noop.sql"), "-- @update\nSELECT 1;\n");
        var script = $@"Import-Module '{manifest}'
'parity=' + (Test-SchemaParity -ShopwareRoot '{site.Root}' -Quiet)
'migrations=' + @(Get-SchemaMigration -ShopwareRoot '{site.Root}').Count
[System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {{ $_.GetName().Name -in 'MarketplaceMigration.Engine', 'MySqlConnector', 'YamlDotNet' }} |
    ForEach-Object {{ 'assembly=' + $_.GetName().Name + '|' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).GetType().Name }}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(host);
        start.ArgumentList.Add(script);
        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var lines = (await child.StandardOutput.ReadToEndAsync()).Split('\n').Select(l => l.Trim()).ToList();
        await child.WaitForExitAsync();

        Assert.True(child.ExitCode == 0, await stderr);
        Assert.Contains("parity=True", lines);
        Assert.Contains("migrations=2", lines);      // one migration on each endpoint
        Assert.Contains("assembly=MarketplaceMigration.Engine|ModuleLoadContext", lines);
        Assert.Contains("assembly=YamlDotNet|ModuleLoadContext", lines);
        Assert.Contains("assembly=MySqlConnector|ModuleLoadContext", lines);       // the engine's copy ...
        Assert.Contains("assembly=MySqlConnector|DefaultAssemblyLoadContext", lines);   // ... beside the host's
    }
}
