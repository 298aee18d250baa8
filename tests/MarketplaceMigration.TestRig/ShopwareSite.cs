using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// A Shopware-like installation built for one test: a root directory with bin/console and .env
/// (DATABASE_URL to a fresh database on the Shopware server), system_config with the Remote add-on's
/// rows, and the cluster's flyok.config.json pointing at a fresh database on the cluster server.
/// </summary>
public sealed class ShopwareSite : IAsyncDisposable
{
    private ShopwareSite(string root, TestDatabase shopware, TestDatabase cluster)
    {
        Root = root;
        Shopware = shopware;
        Cluster = cluster;
        ClusterConfigPath = Path.Combine(root, "cluster", "storage", "flyok.config.json");
    }

    public string Root { get; }

    /// <summary>The stand-in cluster's channel port (a free loopback port).</summary>
    public int ChannelPort { get; private set; }

    /// <summary>Its pid file.</summary>
    public string StandInPidFile => Path.Combine(Root, "cluster", "standin.pid");

    /// <summary>The profile file the cluster-aware sites write (smoke command, short timeouts).</summary>
    public string ProfilePath => Path.Combine(Root, "profile.json");

    /// <summary>The stand-in's assembly, built with the test rig.</summary>
    public static string StandInDll => Path.Combine(AppContext.BaseDirectory, "MarketplaceMigration.ClusterStandIn.dll");

    public string RestartCommand => $"dotnet '{StandInDll}' restart --config '{ClusterConfigPath}' --port {ChannelPort} --pidfile '{StandInPidFile}'";

    public string PingCommand => $"dotnet '{StandInDll}' ping --port {ChannelPort}";
    public TestDatabase Shopware { get; }
    public TestDatabase Cluster { get; }
    public string ClusterConfigPath { get; }

    /// <summary>DATABASE_URL for the Shopware database (holds the password).</summary>
    public string DatabaseUrl => $"mysql://{Uri.EscapeDataString(Shopware.Server.User)}:{Uri.EscapeDataString(Shopware.Server.Password)}@{Shopware.Server.Host}:{Shopware.Server.Port}/{Shopware.Name}";

    /// <summary>Every password a test must never see in output.</summary>
    public string[] Secrets => new[] { Shopware.Server.Password, Cluster.Server.Password };

    public static async Task<ShopwareSite> CreateAsync(bool dataPlaneOnShopware = false, bool dataPlaneOnCluster = false, TestServer? shopwareServer = null, TestServer? clusterServer = null)
    {
        var rig = await ServerRig.GetAsync();
        var root = Path.Combine(Path.GetTempPath(), "mm-site-" + Guid.NewGuid().ToString("N").Substring(0, 10));
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.WriteAllText(Path.Combine(root, "bin", "console"), "#!/usr/bin/env php\n<?php // stand-in for Shopware's console\n");
        var site = new ShopwareSite(root, await (shopwareServer ?? rig.Shopware).CreateDatabaseAsync("mmsw"), await (clusterServer ?? rig.Cluster).CreateDatabaseAsync("mmcl"));
        File.WriteAllText(Path.Combine(root, ".env"), $"APP_ENV=prod\nAPP_URL=http://localhost\nDATABASE_URL={site.DatabaseUrl}\n");
        await site.Shopware.ExecuteAsync(Sql("shopware-core.sql"));
        await site.SetConfigAsync("clusterConfigPath", site.ClusterConfigPath);
        await site.SetConfigAsync("dataLocation", "shopware");
        await site.SetConfigAsync("maintenance", false);
        await site.SetConfigAsync("clusterRestartCommand", "true");
        site.WriteClusterConfig(site.DefaultClusterConfig("shopware"));
        if (dataPlaneOnShopware) await site.Shopware.ExecuteAsync(Sql("flyokai-data-plane.sql"));
        if (dataPlaneOnCluster) await site.Cluster.ExecuteAsync(Sql("flyokai-data-plane.sql"));
        return site;
    }

    /// <summary>
    /// Makes the site a full Remote installation around the stand-in cluster: a free channel port,
    /// the restart command in system_config, a profile with the ping as smoke command and short
    /// timeouts, the data plane on both ends (seeded on the Shopware side), and the cluster started.
    /// </summary>
    /// <param name="drainSeconds">The drain proof's deadline: longer for a test that holds a transaction open on purpose.</param>
    public async Task WithClusterAsync(int sellers = 30, bool typeProbe = false, string? extraProfile = null, int drainSeconds = 3)
    {
        ChannelPort = LoopbackPorts.Claim();
        await SetConfigAsync("flyokaiChannelPort", ChannelPort);
        await SetConfigAsync("clusterRestartCommand", RestartCommand);
        if (typeProbe)
        {
            await Shopware.ExecuteAsync(Sql("flyokai-type-probe.sql"));
            await Cluster.ExecuteAsync(Sql("flyokai-type-probe.sql"));
        }

        await DataPlaneSeeder.SeedAsync(Shopware, sellers, typeProbe: typeProbe);
        var tables = string.Join(", ", Tables(typeProbe).Select(t => "\"" + t + "\""));
        File.WriteAllText(ProfilePath, $"{{ \"smokeCommand\": \"{PingCommand.Replace("\"", "\\\"")}\", \"tables\": [{tables}], \"timeouts\": {{ \"portSeconds\": 4, \"drainSeconds\": {drainSeconds}, \"restartSeconds\": 60, \"smokeSeconds\": 30, \"lockWaitSeconds\": 2 }}{extraProfile} }}");
        var restart = await Engine.Infrastructure.ShellCommand.RunAsync(RestartCommand, Root, TimeSpan.FromSeconds(60), System.Threading.CancellationToken.None);
        if (restart.ExitCode != 0) throw new InvalidOperationException("The stand-in cluster did not start: " + restart.Output);
    }

    /// <summary>The tables the cluster-aware site moves: the documented 22, plus the type probe when loaded.</summary>
    public static IReadOnlyList<string> Tables(bool typeProbe)
        => typeProbe ? Engine.DataPlane.DataPlaneTables.Default.Concat(new[] { "flyokai_zz_type_probe" }).ToList() : Engine.DataPlane.DataPlaneTables.Default;

    /// <summary>Stops the stand-in cluster (its port closes).</summary>
    public async Task StopClusterAsync()
    {
        StopStandIn();
        for (var i = 0; i < 100 && await Engine.Cluster.PortProbe.AcceptsAsync("127.0.0.1", ChannelPort, System.Threading.CancellationToken.None); i++) await Task.Delay(50);
    }

    private void StopStandIn()
    {
        try
        {
            if (File.Exists(StandInPidFile) && int.TryParse(File.ReadAllText(StandInPidFile).Trim(), out var pid))
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>The text of an embedded SQL file (flyokai-data-plane.sql, shopware-core.sql).</summary>
    public static string Sql(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name) ?? throw new InvalidOperationException("No embedded " + name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Writes (or replaces) a global FlyokaiMarketplaceRemote.config row as Shopware stores it.</summary>
    public Task SetConfigAsync(string key, object? value)
        => SetRawConfigAsync(key, JsonSerializer.Serialize(new { _value = value }));

    /// <summary>Writes a row with any JSON text as its value.</summary>
    public async Task SetRawConfigAsync(string key, string json)
    {
        await DeleteConfigAsync(key);
        await Shopware.ExecuteAsync(
            "INSERT INTO system_config (id, configuration_key, configuration_value, sales_channel_id, created_at) VALUES (UNHEX(REPLACE(UUID(), '-', '')), @k, @v, NULL, NOW(3))",
            ("@k", "FlyokaiMarketplaceRemote.config." + key), ("@v", json));
    }

    public Task DeleteConfigAsync(string key)
        => Shopware.ExecuteAsync("DELETE FROM system_config WHERE configuration_key = @k", ("@k", "FlyokaiMarketplaceRemote.config." + key));

    public JsonObject DefaultClusterConfig(string active) => new()
    {
        ["app"] = new JsonObject { ["name"] = "flyokai", ["workers"] = 4 },
        ["db"] = new JsonObject
        {
            ["connection"] = new JsonObject
            {
                ["active"] = active,
                ["shopware"] = Block(Shopware),
                ["cluster"] = Block(Cluster),
            },
        },
        ["http"] = new JsonObject { ["port"] = 1339 },
    };

    public void WriteClusterConfig(JsonNode config) => WriteClusterConfigText(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    public void WriteClusterConfigText(string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ClusterConfigPath)!);
        File.WriteAllText(ClusterConfigPath, text);
    }

    private static JsonObject Block(TestDatabase db) => new()
    {
        ["hostname"] = db.Server.Host,
        ["port"] = db.Server.Port,
        ["username"] = db.Server.User,
        ["password"] = db.Server.Password,
        ["database"] = db.Name,
        ["max_connections"] = 4,
    };

    public async ValueTask DisposeAsync()
    {
        StopStandIn();
        await Shopware.DisposeAsync();
        await Cluster.DisposeAsync();
        // Every site's databases have their own connection strings, so their pools would keep idle sessions open on the
        // shared servers for minutes (the test process runs hundreds of moves): close them with the site.
        await MySqlConnector.MySqlConnection.ClearAllPoolsAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
