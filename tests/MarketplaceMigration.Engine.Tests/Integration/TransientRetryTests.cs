using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>
/// A transaction the server rolls back on a real deadlock is tried again whole (the copy's chunks and the
/// replay's batches run through <see cref="Transient"/>), and its rows arrive exactly once; any other error is not retried.
/// </summary>
public sealed class TransientRetryTests
{
    [Fact]
    public async Task ATransactionChosenAsTheVictimOfARealDeadlockIsTriedAgainAndItsRowsArriveOnce()
    {
        var rig = await ServerRig.GetAsync();
        await using var db = await rig.Cluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE dl (id INT NOT NULL PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB; INSERT INTO dl VALUES (1, 0), (2, 0); CREATE TABLE dl_log (n INT NOT NULL) ENGINE=InnoDB");
        await using var other = await db.OpenAsync();
        await using var mine = await db.OpenAsync();
        await using (var lockTwo = new MySqlCommand("START TRANSACTION; UPDATE dl SET v = v + 100 WHERE id = 2", other)) await lockTwo.ExecuteNonQueryAsync();
        var observer = new RecordingObserver();
        var attempts = 0;

        var work = Transient.RetryAsync(async () =>
        {
            attempts++;
            await using var tx = await mine.BeginTransactionAsync();
            await using (var first = new MySqlCommand("UPDATE dl SET v = v + 1 WHERE id = 1; INSERT INTO dl_log VALUES (1)", mine, tx)) await first.ExecuteNonQueryAsync();
            await using (var second = new MySqlCommand("UPDATE dl SET v = v + 1 WHERE id = 2", mine, tx)) await second.ExecuteNonQueryAsync();   // waits for the other session
            await tx.CommitAsync();
            return attempts;
        }, "the test's transaction", observer, CancellationToken.None);

        await Task.Delay(300);
        // The other session, heavier, now wants row 1, which ours holds: InnoDB rolls back the lighter one, ours.
        await using (var heavy = new MySqlCommand("INSERT INTO dl_log SELECT seq FROM seq_1_to_5000", other)) await heavy.ExecuteNonQueryAsync();
        await using (var cross = new MySqlCommand("UPDATE dl SET v = v + 100 WHERE id = 1", other)) await cross.ExecuteNonQueryAsync();
        await using (var done = new MySqlCommand("COMMIT", other)) await done.ExecuteNonQueryAsync();

        Assert.Equal(2, await work);
        Assert.Contains(observer.Lines, l => l.Contains("server error 1213") && l.Contains("trying again"));
        Assert.Equal("101", (await db.ScalarAsync("SELECT v FROM dl WHERE id = 1"))?.ToString());
        Assert.Equal("101", (await db.ScalarAsync("SELECT v FROM dl WHERE id = 2"))?.ToString());
        Assert.Equal("5001", (await db.ScalarAsync("SELECT COUNT(*) FROM dl_log"))?.ToString());   // the victim's first try left nothing behind
    }

    [Fact]
    public async Task AnErrorThatIsNotTransientIsNotTriedAgain()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<MySqlException>(() => Transient.RetryAsync<int>(async () =>
        {
            attempts++;
            var rig = await ServerRig.GetAsync();
            await using var db = await rig.Cluster.CreateDatabaseAsync();
            await db.ExecuteAsync("SELECT * FROM no_such_table");
            return 0;
        }, "a bad statement", new RecordingObserver(), CancellationToken.None));
        Assert.Equal(1, attempts);
    }
}
