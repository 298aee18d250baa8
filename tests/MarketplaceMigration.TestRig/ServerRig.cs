using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;
using Testcontainers.MySql;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// The two real servers of a test run: a Shopware-side and a cluster-side one. Chosen once per test
/// process, in this order: MM_TEST_SHOPWARE and MM_TEST_CLUSTER (MySqlConnector connection strings
/// of a user that may create databases); Testcontainers with MySQL 8.4 when a Docker engine answers;
/// two throwaway mariadbd processes. Nothing is skipped: with none of the three the rig fails with
/// a message that says what to install.
/// </summary>
public sealed class ServerRig
{
    private static readonly Lazy<Task<ServerRig>> Instance = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private ServerRig(string kind, TestServer shopware, TestServer cluster)
    {
        Kind = kind;
        Shopware = shopware;
        Cluster = cluster;
    }

    /// <summary>environment, testcontainers or mariadbd.</summary>
    public string Kind { get; }
    public TestServer Shopware { get; }
    public TestServer Cluster { get; }

    /// <summary>The servers of this test process, started on first use.</summary>
    public static Task<ServerRig> GetAsync() => Instance.Value;

    private static async Task<ServerRig> StartAsync()
    {
        var fromEnvironment = FromEnvironment();
        if (fromEnvironment != null) return fromEnvironment;
        if (DockerAnswers())
        {
            var containers = await FromTestcontainersAsync();
            if (containers != null) return containers;
        }

        MariaDbProcess.SweepStale();
        var runDirectory = MariaDbProcess.RunDirectory();
        var startShopware = MariaDbProcess.StartAsync(runDirectory, "shopware");
        var startCluster = MariaDbProcess.StartAsync(runDirectory, "cluster");
        var shopware = await startShopware;
        var cluster = await startCluster;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // The test host gives exit handlers little time: signal both servers, remove their files, then wait.
            shopware.Kill();
            cluster.Kill();
            try { Directory.Delete(runDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            shopware.Dispose();
            cluster.Dispose();
        };
        return new ServerRig("mariadbd",
            new TestServer("shopware", "127.0.0.1", shopware.Port, MariaDbProcess.User, shopware.Password),
            new TestServer("cluster", "127.0.0.1", cluster.Port, MariaDbProcess.User, cluster.Password));
    }

    private static ServerRig? FromEnvironment()
    {
        var shopware = Environment.GetEnvironmentVariable("MM_TEST_SHOPWARE");
        var cluster = Environment.GetEnvironmentVariable("MM_TEST_CLUSTER");
        if (string.IsNullOrEmpty(shopware) || string.IsNullOrEmpty(cluster)) return null;
        return new ServerRig("environment", Parse("shopware", shopware), Parse("cluster", cluster));
    }

    private static TestServer Parse(string name, string connectionString)
    {
        var b = new MySqlConnectionStringBuilder(connectionString);
        return new TestServer(name, b.Server, (int)b.Port, b.UserID, b.Password);
    }

    private static bool DockerAnswers()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        return !string.IsNullOrEmpty(host) || File.Exists("/var/run/docker.sock");
    }

    private static async Task<ServerRig?> FromTestcontainersAsync()
    {
        try
        {
            var shopware = new MySqlBuilder("mysql:8.4").WithUsername("root").WithPassword("Rig-" + Guid.NewGuid().ToString("N")).Build();
            var cluster = new MySqlBuilder("mysql:8.4").WithUsername("root").WithPassword("Rig-" + Guid.NewGuid().ToString("N")).Build();
            await Task.WhenAll(shopware.StartAsync(), cluster.StartAsync());
            return new ServerRig("testcontainers", Parse("shopware", shopware.GetConnectionString()), Parse("cluster", cluster.GetConnectionString()));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The socket is there but no engine answers: fall back to local mariadbd processes.
            return null;
        }
    }
}
