using System.Threading.Tasks;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>The rig's Galera cluster is real: a write on one node is read on another once the read waits for it.</summary>
public sealed class GaleraRigTests
{
    [Fact]
    public async Task AWriteOnOneNodeIsReadOnAnotherWithSyncWait()
    {
        await using var cluster = await GaleraCluster.StartAsync();
        await using var db = await cluster.Server(0).CreateDatabaseAsync("mmgal");
        await db.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO t SELECT seq, seq FROM seq_1_to_20000");
        await using var third = new MySqlConnection(cluster.Server(2).ConnectionString(db.Name));
        await third.OpenAsync();
        await using var read = new MySqlCommand("SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM t", third);
        Assert.Equal(20000L, System.Convert.ToInt64(await read.ExecuteScalarAsync()));
        Assert.Equal(("Primary", "Synced"), await cluster.StatusAsync(2));
    }
}
