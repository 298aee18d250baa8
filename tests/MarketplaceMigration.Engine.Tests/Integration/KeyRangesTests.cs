using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.Verify;
using MarketplaceMigration.TestRig;
using Xunit;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>Ranges cut arithmetically over a dense integer key (copy and verification): every key on either end lands in one range, and the drill-down names each difference.</summary>
public sealed class KeyRangesTests
{
    [Fact]
    public void ADenseKeyIsCutIntoRangesOfChunkRowsValuesAndTheLastIsOpen()
    {
        Assert.True(KeyRanges.Dense(1, 250_000, 250_000, 100_000));
        Assert.True(KeyRanges.Dense(1, 250_000, 125_000, 100_000));                      // an estimate off by half still qualifies
        Assert.False(KeyRanges.Dense(1, 1_000_000_000_000, 1_000, 100));                  // sparse: the cursor walks it
        Assert.Equal(100_000m, KeyRanges.NextUpper(1, 250_000, null, 100_000));
        Assert.Equal(200_000m, KeyRanges.NextUpper(1, 250_000, 100_000, 100_000));
        Assert.Null(KeyRanges.NextUpper(1, 250_000, 200_000, 100_000));                   // the rest, open above
        Assert.Null(KeyRanges.NextUpper(7, 7, null, 100));                                // one row: one open range
        Assert.Equal(-9_223_372_036_854_775_799m, KeyRanges.NextUpper(-9_223_372_036_854_775_808m, 0, null, 10)); // no overflow at BIGINT's minimum
        Assert.Null(KeyRanges.NextUpper(18_446_744_073_709_551_600m, 18_446_744_073_709_551_615m, null, 100));    // nor at BIGINT UNSIGNED's maximum
    }

    [Theory]
    [InlineData("INT", 1, 10)]                   // dense: ten arithmetic ranges of 100 values
    [InlineData("BIGINT UNSIGNED", 1000, 11)]    // sparse (every 1000th value): the cursor, ten ranges of 100 rows and the open rest
    public async Task EveryKindOfDifferenceIsFoundAtTheRangeBoundariesAndBeyondBothEnds(string type, int step, int ranges)
    {
        var rig = await ServerRig.GetAsync();
        await using var source = await rig.Shopware.CreateDatabaseAsync();
        await using var target = await rig.Cluster.CreateDatabaseAsync();
        foreach (var db in new[] { source, target })
        {
            await db.ExecuteAsync($"CREATE TABLE flyokai_d (id {type} PRIMARY KEY, v VARCHAR(10))");
            await db.ExecuteAsync("INSERT INTO flyokai_d VALUES " + string.Join(", ", Enumerable.Range(1, 1000).Select(i => $"({i * step}, 'v{i}')")));
            await db.ExecuteAsync("ANALYZE TABLE flyokai_d");
        }

        // Missing: the first row and the last of the first range; different: the first of the second range;
        // extra: below the source's lowest key and above its highest.
        await target.ExecuteAsync($"DELETE FROM flyokai_d WHERE id IN ({1 * step}, {100 * step})");
        await target.ExecuteAsync($"UPDATE flyokai_d SET v = 'changed' WHERE id = {101 * step}");
        await target.ExecuteAsync($"INSERT INTO flyokai_d VALUES (0, 'below'), ({1001 * step}, 'above')");

        var result = (await DataVerifier.VerifyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), new[] { "flyokai_d" },
            new VerifySettings { ChunkRows = 100, Parallelism = 1 }, NullRunObserver.Instance, CancellationToken.None)).Single();

        Assert.Equal(ranges, result.Chunks);
        Assert.Equal(1000, result.SourceRows);
        Assert.Equal(1000, result.TargetRows);
        var found = result.Differences.Select(d => (d.Key, d.Kind)).OrderBy(d => d.Key, System.StringComparer.Ordinal).ToList();
        var expected = new[]
        {
            ("0", RowDifferenceKind.ExtraInTarget), ($"{1 * step}", RowDifferenceKind.MissingInTarget), ($"{100 * step}", RowDifferenceKind.MissingInTarget),
            ($"{101 * step}", RowDifferenceKind.Different), ($"{1001 * step}", RowDifferenceKind.ExtraInTarget),
        }.OrderBy(d => d.Item1, System.StringComparer.Ordinal).ToList();
        Assert.Equal(expected, found);

        await target.ExecuteAsync($"DELETE FROM flyokai_d WHERE id IN (0, {1001 * step})");
        await target.ExecuteAsync($"INSERT INTO flyokai_d VALUES ({1 * step}, 'v1'), ({100 * step}, 'v100')");
        await target.ExecuteAsync($"UPDATE flyokai_d SET v = 'v101' WHERE id = {101 * step}");
        Assert.True((await DataVerifier.VerifyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), new[] { "flyokai_d" },
            new VerifySettings { ChunkRows = 100, Parallelism = 1 }, NullRunObserver.Instance, CancellationToken.None)).Single().Equal);
    }
}
