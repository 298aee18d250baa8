using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Verify;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>
/// The verification folds a range's row hashes in reading order: equal rows read in another order, and
/// a range the server's group_concat_max_len cannot hold, must never decide the verdict on their own.
/// </summary>
public sealed class OrderedDigestTests
{
    [Fact]
    public async Task RowsReadInAnotherOrderAreSettledByTheirSumsAndADifferenceIsStillNamed()
    {
        // The same key under a binary and a case-insensitive collation: 'B' sorts before 'a' on one end only.
        var (source, target, layout) = await TablePair.CreateAsync("flyokai_o",
            "CREATE TABLE flyokai_o (id VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PRIMARY KEY, v INT NOT NULL)",
            "INSERT INTO flyokai_o VALUES ('a', 1), ('B', 2), ('c', 3), ('D', 4)",
            targetDdl: "CREATE TABLE flyokai_o (id VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci PRIMARY KEY, v INT NOT NULL)", rowsOnBothEnds: true);
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        var (from, to) = (source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster));

        // The premise: folded in reading order the two ends differ, summed they agree.
        using (var s = await TableSession.OpenReadAsync(from, CancellationToken.None))
        using (var t = await TableSession.OpenReadAsync(to, CancellationToken.None))
        {
            Assert.NotEqual(await DataVerifier.DigestAsync(s, layout, true, null, null, ordered: true, CancellationToken.None),
                await DataVerifier.DigestAsync(t, layout, true, null, null, ordered: true, CancellationToken.None));
            Assert.Equal(await DataVerifier.DigestAsync(s, layout, true, null, null, ordered: false, CancellationToken.None),
                await DataVerifier.DigestAsync(t, layout, true, null, null, ordered: false, CancellationToken.None));
        }

        var observer = new RecordingObserver();
        var equal = (await DataVerifier.VerifyAsync(from, to, new[] { "flyokai_o" }, new VerifySettings { ChunkRows = 100, Parallelism = 1 }, observer, CancellationToken.None)).Single();
        Assert.True(equal.Equal);
        Assert.Equal(4, equal.TargetRows);
        Assert.Contains(observer.Debugs, d => d.Contains("folds differently in reading order but sums equal", StringComparison.Ordinal));

        await target.ExecuteAsync("UPDATE flyokai_o SET v = 5 WHERE id = 'c'");
        var differs = (await DataVerifier.VerifyAsync(from, to, new[] { "flyokai_o" }, new VerifySettings { ChunkRows = 100, Parallelism = 1 }, NullRunObserver.Instance, CancellationToken.None)).Single();
        Assert.False(differs.Equal);
        var difference = Assert.Single(differs.Differences);
        Assert.Equal(("c", RowDifferenceKind.Different), (difference.Key, difference.Kind));
    }

    [Fact]
    public async Task ARangeLargerThanGroupConcatMaxLenIsNeverTakenForEqual()
    {
        var (source, target, layout) = await TablePair.CreateAsync("flyokai_g", "CREATE TABLE flyokai_g (id INT PRIMARY KEY, v VARCHAR(8) NOT NULL)",
            "INSERT INTO flyokai_g VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, 'f')", rowsOnBothEnds: true);
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        using var s = await TableSession.OpenReadAsync(source.AsTarget(EndpointRole.Shopware), CancellationToken.None);
        using var t = await TableSession.OpenReadAsync(target.AsTarget(EndpointRole.Cluster), CancellationToken.None);
        foreach (var connection in new[] { s, t })
        {
            using var command = new MySqlCommand("SET SESSION group_concat_max_len = 64", connection);   // room for 4 row hashes
            await command.ExecuteNonQueryAsync();
        }

        Task<ChunkDigest> Ordered(MySqlConnection c, int? upper) => DataVerifier.DigestAsync(c, layout, true, null,
            upper is null ? null : new[] { KeyValue.From(upper.Value) }, ordered: true, CancellationToken.None);

        // Four rows fit: the same rows fold the same. Six do not: the truncated folds would agree, and must not.
        Assert.Equal(await Ordered(s, 4), await Ordered(t, 4));
        var (whole, wholeToo) = (await Ordered(s, null), await Ordered(t, null));
        Assert.Equal(6, whole.Rows);
        Assert.NotEqual(whole, wholeToo);
        Assert.StartsWith("unfolded ", whole.Ordered, StringComparison.Ordinal);
    }
}
