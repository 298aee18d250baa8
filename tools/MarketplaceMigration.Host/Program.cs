using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.TestRig;

// mmhost: the real PowerShell engine, hosted, with the module imported from beside this program.
if (args.Length >= 2 && args[0] == "-c") return Host.Run(args[1]);
if (args.Length >= 1 && args[0] == "demo") return await Demo.RunAsync();
if (args.Length >= 1 && args[0] == "small-shop") return await SmallShop.CreateAsync();
Console.Error.WriteLine("usage: mmhost -c '<PowerShell script>' | mmhost demo | mmhost small-shop");
return 2;

internal static class Host
{
    public static string Manifest => Path.Combine(AppContext.BaseDirectory, "MarketplaceMigration.psd1");

    /// <summary>Runs a script; prints objects and streams; exit code 1 when any error was written.</summary>
    public static int Run(string script, IDictionary<string, object?>? variables = null)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { Manifest });
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>()) runspace.SessionStateProxy.SetVariable(name, value);
        using var ps = PowerShell.Create(runspace);
        ps.AddScript(script);
        var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => Print(output[e.Index]);
        ps.Streams.Warning.DataAdded += (_, e) => Console.Error.WriteLine("WARNING: " + ps.Streams.Warning[e.Index].Message);
        ps.Streams.Verbose.DataAdded += (_, e) => Console.Error.WriteLine("VERBOSE: " + ps.Streams.Verbose[e.Index].Message);
        var failed = false;
        ps.Streams.Error.DataAdded += (_, e) =>
        {
            failed = true;
            var error = ps.Streams.Error[e.Index];
            Console.Error.WriteLine($"ERROR {error.FullyQualifiedErrorId} ({error.CategoryInfo.Category}): {error.Exception.Message}");
        };
        try
        {
            ps.Invoke(null, output);
        }
        catch (RuntimeException ex)
        {
            Console.Error.WriteLine($"ERROR {ex.ErrorRecord?.FullyQualifiedErrorId}: {ex.Message}");
            return 1;
        }

        return failed || ps.HadErrors ? 1 : 0;
    }

    private static void Print(PSObject item)
    {
        switch (item.BaseObject)
        {
            case StepResult s:
                var status = s.Executed ? s.Status.ToString() : s.Status + " (earlier)";
                Console.WriteLine($"  {s.Number,2}  {s.Step,-20} {status,-20} {(s.DurationSeconds is { } d ? d.ToString("0.00") + "s" : "-"),8}  {(s.Error ?? s.Summary)}");
                break;
            case string text:
                Console.WriteLine(text);
                break;
            default:
                var properties = item.Properties.Where(p => p.IsGettable && p.Value is not IEnumerable || p.Value is string).Take(8)
                    .Select(p => $"{p.Name}={p.Value}");
                Console.WriteLine("  " + string.Join("  ", properties));
                break;
        }
    }
}

/// <summary>
/// bench/small.sh's shop: the demo's Shopware-like root and data plane (200 sellers and the type probe: about 12 k rows
/// in 23 tables) on the servers MM_TEST_SHOPWARE and MM_TEST_CLUSTER name, with the stand-in cluster running. It is
/// left in place (the script removes it) and described on standard output as shell assignments.
/// </summary>
internal static class SmallShop
{
    public static async Task<int> CreateAsync()
    {
        if (Environment.GetEnvironmentVariable("MM_TEST_SHOPWARE") is null || Environment.GetEnvironmentVariable("MM_TEST_CLUSTER") is null)
        {
            Console.Error.WriteLine("mmhost small-shop: set MM_TEST_SHOPWARE and MM_TEST_CLUSTER to the two servers' connection strings.");
            return 2;
        }

        var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 200, typeProbe: true);
        Console.WriteLine($"SHOP_ROOT='{site.Root}'");
        Console.WriteLine($"PROFILE='{site.ProfilePath}'");
        Console.WriteLine($"SW_DB='{site.Shopware.Name}'");
        Console.WriteLine($"CL_DB='{site.Cluster.Name}'");
        Console.WriteLine($"PIDFILE='{site.StandInPidFile}'");
        Console.WriteLine($"CLUSTER_CONFIG='{site.ClusterConfigPath}'");
        Console.WriteLine($"TABLES='{string.Join(" ", ShopwareSite.Tables(true))}'");
        return 0;
    }
}

internal static class Demo
{
    public static async Task<int> RunAsync()
    {
        if (MariaDbProcess.FindServer() is null && Environment.GetEnvironmentVariable("MM_TEST_SHOPWARE") is null)
        {
            Console.Error.WriteLine(MariaDbProcess.InstallHint);
            return 2;
        }

        Console.WriteLine("MarketplaceMigration demo: two throwaway database servers, a Shopware-like root, the stand-in cluster.");
        var rig = await ServerRig.GetAsync();
        Console.WriteLine($"Servers ({rig.Kind}): Shopware 127.0.0.1:{rig.Shopware.Port}, cluster 127.0.0.1:{rig.Cluster.Port}");
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 200, typeProbe: true);
        Console.WriteLine($"Shopware root {site.Root}: {ShopwareSite.Tables(true).Count} data-plane tables loaded, the cluster listens on 127.0.0.1:{site.ChannelPort}.");
        var vars = new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath };
        var code = Section("Settings", "Get-MigrationProfile -ShopwareRoot $root -ProfilePath $profile | ForEach-Object { \"  Shopware $($_.Shopware)  cluster $($_.Cluster)  tables $($_.Tables.Count)  data location $($_.DataLocation)/$($_.ClusterActive)\" }", vars);
        code |= Section("Start-DataMigration -To Cluster -Force", "Start-DataMigration -To Cluster -ShopwareRoot $root -ProfilePath $profile -Force", vars);
        code |= Section("Get-DataLocation", "Get-DataLocation -ShopwareRoot $root -ProfilePath $profile", vars);
        code |= Section("Start-DataMigration -To Shopware -Force", "Start-DataMigration -To Shopware -ShopwareRoot $root -ProfilePath $profile -Force", vars);
        code |= Section("Test-DataIntegrity (the cluster still holds the copy)", "Test-DataIntegrity -ShopwareRoot $root -ProfilePath $profile | ForEach-Object { \"  $($_.Table): equal=$($_.Equal) rows=$($_.SourceRows)\" }", vars);
        var rows = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(true));
        Console.WriteLine($"Independent check (row by row and CHECKSUM TABLE): {rows} rows equal on both ends.");

        // Online: the shop keeps writing (200 transactions a second) while the data moves; writes stop only at the gate.
        var writer = await LiveWriter.StartAsync(site.Shopware, site.Shopware, perSecond: 200);
        await Task.Delay(1000);
        code |= Section("Start-DataMigration -To Cluster -Online -Force, while the shop writes 200 transactions a second",
            "Start-DataMigration -To Cluster -Online -ShopwareRoot $root -ProfilePath $profile -Force", vars);
        await writer.StopAsync();
        code |= Section("The freeze (the gate's time, less the cluster's restart and smoke test)", Freeze, vars);
        Console.WriteLine($"  The shop committed {writer.Committed} transactions during the online move ({string.Join(", ", writer.Counts.OrderByDescending(c => c.Value).Select(c => $"{c.Value} {c.Key}"))}).");
        rows = await IndependentCompare.AssertEqualAsync(site.Shopware, site.Cluster, ShopwareSite.Tables(true));
        Console.WriteLine($"Independent check after the online move: {rows} rows equal on both ends.");
        Console.WriteLine(code == 0 ? "Demo finished: moved to the cluster and back, then online to the cluster while the shop wrote; every row equal." : "Demo finished with errors (see above).");
        return code;
    }

    private const string Freeze = @"$s = (Get-MigrationState -ShopwareRoot $root).Steps
$set = $s | Where-Object Step -eq 'set_maintenance'; $clear = $s | Where-Object Step -eq 'clear_maintenance'
$gate = ($clear.StartedAt - $set.StartedAt).TotalSeconds + $clear.DurationSeconds
$cluster = 0; foreach ($x in $s | Where-Object { $_.Step -in 'restart_cluster', 'smoke_test' }) { $cluster += $x.DurationSeconds }
'  writes frozen for {0:0.00} s (the gate {1:0.00} s, of which restart and smoke test {2:0.00} s); the copy and verification ran while the shop wrote.' -f ($gate - $cluster), $gate, $cluster";

    private static int Section(string title, string script, IDictionary<string, object?> variables)
    {
        Console.WriteLine();
        Console.WriteLine("== " + title);
        return Host.Run(script, variables);
    }
}
