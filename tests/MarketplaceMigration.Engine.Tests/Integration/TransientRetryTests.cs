using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>
/// A transaction the server rolls back whole is tried again (<see cref="Transient"/>), and its rows arrive
/// exactly once: a real deadlock, and a copy's chunk chosen as the victim of one or left waiting past its
/// lock wait by a second session holding a key it needs. Any other error is not retried.
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
    public async Task AChunkChosenAsTheVictimOfARealDeadlockIsCopiedAgainAndEveryRowArrivesOnce()
    {
        var (source, target, layout) = await TablePair.CreateAsync("flyokai_dl", "CREATE TABLE flyokai_dl (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB",
            "INSERT INTO flyokai_dl SELECT seq, CONCAT('row ', seq) FROM seq_1_to_100");
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        await target.ExecuteAsync("CREATE TABLE side (n INT NOT NULL) ENGINE=InnoDB");
        await using var other = await target.OpenAsync();
        var observer = new RecordingObserver();
        var progress = new TableCopyState { Table = "flyokai_dl", RowsPlanned = 100 };
        // Chunks of 10 at 50 rows/s: the test takes its locks while the copy is under way, after its setup.
        var copy = TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress,
            new CopySettings { ChunkRows = 10, Throttle = new CopyThrottle(50, null, null) }, 1, () => { }, observer, CancellationToken.None);
        var held = await WhenCopiedAsync(progress, 20);
        // The other session holds a key ahead of the copy (its own uncommitted insert) and weighs more than a chunk (5,000 rows elsewhere).
        await using (var hold = new MySqlCommand($"START TRANSACTION; INSERT INTO side SELECT seq FROM seq_1_to_5000; INSERT INTO flyokai_dl VALUES ({held}, 'other')", other))
            await hold.ExecuteNonQueryAsync();

        // The chunk that ends at the held key holds the 9 keys before it and waits; the other session now wants one of them:
        // a deadlock, and InnoDB rolls back the lighter transaction: the chunk's.
        await WaitForALockWaitAsync(target);
        await using (var cross = new MySqlCommand($"INSERT INTO flyokai_dl VALUES ({held - 5}, 'other')", other)) await cross.ExecuteNonQueryAsync();
        await using (var undo = new MySqlCommand("ROLLBACK", other)) await undo.ExecuteNonQueryAsync();
        await copy;

        Assert.Contains(observer.Lines, l => l.Contains("server error 1213") && l.Contains("trying again"));
        Assert.Equal(100, progress.RowsCopied);
        Assert.Equal("100", (await target.ScalarAsync("SELECT COUNT(*) FROM flyokai_dl"))?.ToString());
        Assert.Equal($"row {held}", (await target.ScalarAsync($"SELECT v FROM flyokai_dl WHERE id = {held}"))?.ToString());
        Assert.Equal(100, await IndependentCompare.AssertEqualAsync(source, target, new[] { "flyokai_dl" }));
    }

    [Fact]
    public async Task AChunkThatWaitedPastTheLockWaitTimeoutIsCopiedAgainAndEveryRowArrivesOnce()
    {
        var (source, target, layout) = await TablePair.CreateAsync("flyokai_lw", "CREATE TABLE flyokai_lw (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB",
            "INSERT INTO flyokai_lw SELECT seq, CONCAT('row ', seq) FROM seq_1_to_100");
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        await using var other = await target.OpenAsync();
        var observer = new RecordingObserver();
        var progress = new TableCopyState { Table = "flyokai_lw", RowsPlanned = 100 };
        var copy = TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress,
            new CopySettings { ChunkRows = 10, Throttle = new CopyThrottle(50, null, null), LockWaitSeconds = 1 }, 1, () => { }, observer, CancellationToken.None);
        var held = await WhenCopiedAsync(progress, 20);
        await using (var hold = new MySqlCommand($"START TRANSACTION; INSERT INTO flyokai_lw VALUES ({held}, 'other')", other)) await hold.ExecuteNonQueryAsync();

        // The chunk waits for the held key past its 1 s lock wait (1205, its transaction rolled back); the holder gives up meanwhile.
        await WaitForALockWaitAsync(target);
        await Task.Delay(1500);
        await using (var undo = new MySqlCommand("ROLLBACK", other)) await undo.ExecuteNonQueryAsync();
        await copy;

        Assert.Contains(observer.Lines, l => l.Contains("server error 1205") && l.Contains("trying again"));
        Assert.Equal(100, progress.RowsCopied);
        Assert.Equal(100, await IndependentCompare.AssertEqualAsync(source, target, new[] { "flyokai_lw" }));
    }

    /// <summary>Waits until the copy is under way; returns a key 40 rows ahead of it, the last of a chunk of 10 (the keys are 1 to 100).</summary>
    private static async Task<long> WhenCopiedAsync(TableCopyState progress, long rows)
    {
        for (var i = 0; i < 400 && progress.RowsCopied < rows; i++) await Task.Delay(10);
        var copied = progress.RowsCopied;
        Assert.True(copied >= rows && copied <= 50 && !progress.Complete, $"the copy was not under way at its pace: {copied} row(s) copied");
        return copied + 40;
    }

    private static async Task WaitForALockWaitAsync(TestDatabase database)
    {
        for (var i = 0; i < 200; i++)
        {
            // A chunk's LOAD DATA takes milliseconds; one that has run for half a second waits for the held lock.
            const string Waiting = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%' AND TIME_MS > 500";
            if (Convert.ToInt64(await database.ScalarAsync(Waiting)) > 0) return;
            await Task.Delay(25);
        }

        throw new TimeoutException("the chunk never waited for the other session's lock");
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
