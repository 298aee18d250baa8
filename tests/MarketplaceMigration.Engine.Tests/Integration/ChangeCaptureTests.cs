using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Online;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>The change capture and replay on real servers: cascades the server makes without firing a trigger, and the capture's short lock wait.</summary>
public sealed class ChangeCaptureTests
{
    private const string Schema = @"
CREATE TABLE cc_parent (id INT NOT NULL PRIMARY KEY, code VARCHAR(32) NOT NULL, UNIQUE KEY uniq_code (code)) ENGINE=InnoDB;
CREATE TABLE cc_child (id INT NOT NULL PRIMARY KEY, parent_id INT NOT NULL, note VARCHAR(32) NOT NULL, KEY (parent_id),
  CONSTRAINT fk_cc_child FOREIGN KEY (parent_id) REFERENCES cc_parent (id) ON DELETE CASCADE ON UPDATE CASCADE) ENGINE=InnoDB;
CREATE TABLE cc_grand (id INT NOT NULL PRIMARY KEY, child_id INT NOT NULL, KEY (child_id),
  CONSTRAINT fk_cc_grand FOREIGN KEY (child_id) REFERENCES cc_child (id) ON DELETE CASCADE) ENGINE=InnoDB;
CREATE TABLE cc_link (id INT NOT NULL PRIMARY KEY, parent_id INT NULL, reply_to INT NULL, KEY (parent_id), KEY (reply_to),
  CONSTRAINT fk_cc_link_parent FOREIGN KEY (parent_id) REFERENCES cc_parent (id) ON DELETE SET NULL ON UPDATE SET NULL,
  CONSTRAINT fk_cc_link_reply FOREIGN KEY (reply_to) REFERENCES cc_link (id) ON DELETE SET NULL) ENGINE=InnoDB;";

    private static readonly string[] Tables = { "cc_parent", "cc_child", "cc_grand", "cc_link" };

    [Fact]
    public async Task ReKeyedAndDeletedParentsLeaveEveryChildTheServerChangedCorrectOnTheTarget()
    {
        var rig = await ServerRig.GetAsync();
        await using var source = await rig.Shopware.CreateDatabaseAsync();
        await using var target = await rig.Cluster.CreateDatabaseAsync();
        await source.ExecuteAsync(Schema);
        await target.ExecuteAsync(Schema);
        await source.ExecuteAsync(@"
INSERT INTO cc_parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_100;
INSERT INTO cc_child SELECT seq, 1 + (seq % 100), CONCAT('c', seq) FROM seq_1_to_300;
INSERT INTO cc_grand SELECT seq, 1 + (seq % 300) FROM seq_1_to_600;
INSERT INTO cc_link SELECT seq, 1 + (seq % 100), NULL FROM seq_1_to_100;
UPDATE cc_link SET reply_to = id - 1 WHERE id > 1;");
        var (from, to) = (source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster));
        var plan = await CapturePlan.ReadAsync(from, Tables, CancellationToken.None);
        await ChangeCapture.InstallAsync(from, plan, MarketplaceMigration.Engine.Diagnostics.NullRunObserver.Instance, CancellationToken.None);
        var layouts = await LayoutReader.ReadAsync(from, Tables, CancellationToken.None);
        var progress = Tables.ToDictionary(t => t, t => new TableCopyState { Table = t });
        await ParallelCopy.CopyAsync(new CopyJob { Source = from, Target = to, Layouts = layouts, ProgressOf = t => progress[t], Settings = new CopySettings { ChunkRows = 50, Parallelism = 2, Live = true } },
            MarketplaceMigration.Engine.Diagnostics.NullRunObserver.Instance, CancellationToken.None);

        // The server changes children, grandchildren and rows of the same table by itself; no trigger of theirs fires.
        await source.ExecuteAsync(@"
UPDATE cc_parent SET id = id + 1000 WHERE id <= 20;
DELETE FROM cc_parent WHERE id BETWEEN 50 AND 60;
DELETE FROM cc_link WHERE id IN (10, 40);
UPDATE cc_parent SET code = CONCAT('q', id) WHERE id > 90;");
        long round = 0;
        var replayer = new ChangeReplayer(from, to, layouts, plan, () => ++round, MarketplaceMigration.Engine.Diagnostics.NullRunObserver.Instance);
        var replayed = await replayer.DrainAsync(2, CancellationToken.None);

        await IndependentCompare.AssertEqualAsync(source, target, Tables);
        Assert.True(replayed.Keys > 100, $"{replayed.Keys} keys replayed");
        Assert.Equal("60", (await target.ScalarAsync("SELECT COUNT(*) FROM cc_child WHERE parent_id > 1000"))?.ToString());   // re-keyed through ON UPDATE CASCADE
        Assert.Equal("0", (await target.ScalarAsync("SELECT COUNT(*) FROM cc_grand g JOIN cc_child c ON c.id = g.child_id WHERE c.parent_id BETWEEN 50 AND 60"))?.ToString());
        Assert.Equal("0", (await target.ScalarAsync("SELECT COUNT(*) FROM cc_grand WHERE child_id NOT IN (SELECT id FROM cc_child)"))?.ToString());   // grandchildren went with their parents
        Assert.Equal("2", (await target.ScalarAsync("SELECT COUNT(*) FROM cc_link WHERE reply_to IS NULL AND id > 1"))?.ToString());   // the replies to 10 and 40 (self-reference, SET NULL)

        var (triggers, changelogs) = await ChangeCapture.RemoveAsync(from, Tables, MarketplaceMigration.Engine.Diagnostics.NullRunObserver.Instance, CancellationToken.None);
        Assert.Equal((16, 4), (triggers, changelogs));   // ai/au/ad on 4 tables; bd and bu on the parent; bd on the child and on the link (its replies)
        Assert.Equal("0", (await source.ScalarAsync("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"))?.ToString());
    }

    [Fact]
    public async Task ForgettingDeletesTheEntriesOfRoundsUpToTheMarkAndKeepsTheLaterAndTheWaitingOnes()
    {
        var rig = await ServerRig.GetAsync();
        await using var source = await rig.Shopware.CreateDatabaseAsync();
        await using var target = await rig.Cluster.CreateDatabaseAsync();
        await source.ExecuteAsync("CREATE TABLE cc_row (id INT NOT NULL PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB;");
        var from = source.AsTarget(EndpointRole.Shopware);
        var plan = await CapturePlan.ReadAsync(from, new[] { "cc_row" }, CancellationToken.None);
        await ChangeCapture.InstallAsync(from, plan, MarketplaceMigration.Engine.Diagnostics.NullRunObserver.Instance, CancellationToken.None);
        var layouts = await LayoutReader.ReadAsync(from, new[] { "cc_row" }, CancellationToken.None);
        var changelog = "`" + CaptureNames.Changelog("cc_row") + "`";
        // 3,000 entries of rounds 1 to 3 interleaved by sequence (more than one batch of a thousand, out of round order), 500 of
        // round 4 and 200 still waiting (round 0).
        await source.ExecuteAsync("INSERT INTO cc_row SELECT seq, 0 FROM seq_1_to_3700;");
        await source.ExecuteAsync($"UPDATE {changelog} SET `_mm_round` = CASE WHEN `_mm_seq` <= 3000 THEN 1 + `_mm_seq` % 3 WHEN `_mm_seq` <= 3500 THEN 4 ELSE 0 END;");
        // An open read holds InnoDB's purge back (as a long report would): each batch's deleted entries stay in the index meanwhile.
        await using var snapshot = await source.OpenAsync();
        await using (var hold = new MySqlCommand($"START TRANSACTION WITH CONSISTENT SNAPSHOT; SELECT COUNT(*) FROM {changelog}", snapshot)) await hold.ExecuteScalarAsync();
        long round = 4;
        var replayer = new ChangeReplayer(from, target.AsTarget(EndpointRole.Cluster), layouts, plan, () => ++round, MarketplaceMigration.Engine.Diagnostics.NullRunObserver.Instance);
        var paced = new List<int>();

        var forgotten = await replayer.ForgetAsync(3, (rows, _) => { paced.Add(rows); return Task.CompletedTask; }, CancellationToken.None);

        Assert.Equal(3000, forgotten);
        Assert.Equal(new[] { 1000, 1000, 1000 }, paced);   // every batch through the throttle
        Assert.Equal("0", (await source.ScalarAsync($"SELECT COUNT(*) FROM {changelog} WHERE `_mm_round` BETWEEN 1 AND 3"))?.ToString());
        Assert.Equal("500", (await source.ScalarAsync($"SELECT COUNT(*) FROM {changelog} WHERE `_mm_round` = 4"))?.ToString());
        Assert.Equal("200", (await source.ScalarAsync($"SELECT COUNT(*) FROM {changelog} WHERE `_mm_round` = 0"))?.ToString());
        Assert.Equal(0, await replayer.ForgetAsync(3, (_, _) => Task.CompletedTask, CancellationToken.None));
        await using (var end = new MySqlCommand("COMMIT", snapshot)) await end.ExecuteNonQueryAsync();   // its metadata lock would hold up the DROP
        await ChangeCapture.RemoveAsync(from, new[] { "cc_row" }, MarketplaceMigration.Engine.Diagnostics.NullRunObserver.Instance, CancellationToken.None);
    }

    [Fact]
    public async Task InstallingTheCaptureBehindALongTransactionNeverHoldsTheShopsWritesMuchLongerThanASecond()
    {
        var rig = await ServerRig.GetAsync();
        await using var source = await rig.Shopware.CreateDatabaseAsync();
        await source.ExecuteAsync("CREATE TABLE cc_busy (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB; INSERT INTO cc_busy (v) VALUES (1), (2), (3);");
        var from = source.AsTarget(EndpointRole.Shopware);
        var plan = await CapturePlan.ReadAsync(from, new[] { "cc_busy" }, CancellationToken.None);

        // A report that keeps the table open for 3.5 s: CREATE TRIGGER cannot have its lock until it ends.
        await using var report = await source.OpenAsync();
        await using (var begin = new MySqlCommand("START TRANSACTION; SELECT COUNT(*) FROM cc_busy;", report)) await begin.ExecuteScalarAsync();
        var observer = new RecordingObserver();
        var install = Task.Run(() => ChangeCapture.InstallAsync(from, plan, observer, CancellationToken.None));
        var waits = new List<double>();
        await using var shop = await source.OpenAsync();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3.5))
        {
            var write = Stopwatch.StartNew();
            await using (var insert = new MySqlCommand("INSERT INTO cc_busy (v) VALUES (7)", shop)) await insert.ExecuteNonQueryAsync();
            waits.Add(write.Elapsed.TotalSeconds);
            await Task.Delay(50);
        }

        await using (var commit = new MySqlCommand("COMMIT", report)) await commit.ExecuteNonQueryAsync();
        Assert.Equal(3, await install);
        Assert.True(waits.Max() < 1.6, $"a shop write waited {waits.Max():0.00} s behind the trigger's lock");
        Assert.True(waits.Any(w => w > 0.5), "no write ever queued behind the trigger: the test did not provoke the wait");
        Assert.Contains(observer.Lines, v => v.Contains("metadata lock was busy"));

        // Once the report ended, the capture records the shop's writes.
        await source.ExecuteAsync("UPDATE cc_busy SET v = 8 WHERE id = 1");
        Assert.Equal("1", (await source.ScalarAsync("SELECT COUNT(*) FROM _mm_chg_cc_busy WHERE id = 1"))?.ToString());
        await ChangeCapture.RemoveAsync(from, new[] { "cc_busy" }, MarketplaceMigration.Engine.Diagnostics.NullRunObserver.Instance, CancellationToken.None);
    }
}
