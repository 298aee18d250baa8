using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Tables;
using MarketplaceMigration.Engine.Verify;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>
/// The verification while live (an online run's catch_up): a large range that stays different after its re-checks is cut
/// into small ranges and settled range by range, so what is left for the gate is the rows that kept changing, not the table.
/// </summary>
public sealed class LiveVerificationTests
{
    private const string Ddl = "CREATE TABLE flyokai_hot (id INT PRIMARY KEY, v INT NOT NULL)";
    private const string Rows = "INSERT INTO flyokai_hot SELECT seq, seq FROM seq_1_to_20000";

    [Fact]
    public async Task ARangeThatStaysDifferentIsNarrowedToItsHotRowsAndComparedAgainUnderTheGate()
    {
        var (source, target, _) = await TablePair.CreateAsync("flyokai_hot", Ddl, Rows, rowsOnBothEnds: true);
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        var (from, to) = (source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster));
        // A row that "the shop keeps writing": every replay of the table's changes finds it changed again.
        await target.ExecuteAsync("UPDATE flyokai_hot SET v = -1 WHERE id = 15005");
        var settles = 0;
        Task Settle(string table, CancellationToken token)
        {
            Interlocked.Increment(ref settles);
            return Task.CompletedTask;
        }

        var settings = new VerifySettings { ChunkRows = 100_000, Parallelism = 1 };
        var observer = new RecordingObserver();
        var live = (await DataVerifier.VerifyLiveAsync(from, to, new[] { "flyokai_hot" }, settings, Settle, 3, observer, CancellationToken.None)).Single();

        Assert.False(live.Equal);
        Assert.Equal(("15005", RowDifferenceKind.Different), (live.Differences.Single().Key, live.Differences.Single().Kind));
        // One range of at most LiveNarrowRows rows is left, and it holds the hot row: 15001..16000 (of 20, and the open end after 20000).
        var left = Assert.Single(live.DifferingRanges);
        Assert.Equal("15000", left.Lower!.Single().Value);
        Assert.Equal("16000", left.Upper!.Single().Value);
        Assert.True(observer.Lines.Any(v => v.StartsWith("V ", StringComparison.Ordinal) && v.Contains("compared again as 21 range(s) of 1000 row(s): 1 still different", StringComparison.Ordinal)), string.Join("\n", observer.Lines.Where(l => l.StartsWith("V "))));
        Assert.True(settles >= 6, $"{settles} settles: the whole range's re-checks, then the hot small range's");

        // Under the gate the one range is compared again: the row is named while it differs, and equal once it does not.
        var ranges = new Dictionary<string, List<KeyRange>> { ["flyokai_hot"] = live.DifferingRanges.ToList() };
        var gate = (await DataVerifier.VerifyRangesAsync(from, to, ranges, settings, NullRunObserver.Instance, CancellationToken.None)).Single();
        Assert.False(gate.Equal);
        Assert.Equal("15005", gate.Differences.Single().Key);
        await target.ExecuteAsync("UPDATE flyokai_hot SET v = 15005 WHERE id = 15005");
        Assert.True((await DataVerifier.VerifyRangesAsync(from, to, ranges, settings, NullRunObserver.Instance, CancellationToken.None)).Single().Equal);
    }

    [Fact]
    public async Task RowsThatSettleOnceTheirChangesAreReplayedLeaveNoRange()
    {
        var (source, target, _) = await TablePair.CreateAsync("flyokai_hot", Ddl, Rows, rowsOnBothEnds: true);
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        var (from, to) = (source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster));
        // Rows missing and a row extra on the target at the table's end (inserts and a delete in flight), which the replay
        // brings over only on its fourth call: after the whole range's three re-checks, when the range is being narrowed.
        await target.ExecuteAsync("DELETE FROM flyokai_hot WHERE id > 19990; INSERT INTO flyokai_hot VALUES (20001, 1)");
        var settles = 0;
        async Task Settle(string table, CancellationToken token)
        {
            if (Interlocked.Increment(ref settles) == 4)
                await target.ExecuteAsync("DELETE FROM flyokai_hot WHERE id = 20001; INSERT INTO flyokai_hot SELECT seq, seq FROM seq_19991_to_20000");
        }

        var live = (await DataVerifier.VerifyLiveAsync(from, to, new[] { "flyokai_hot" }, new VerifySettings { ChunkRows = 100_000, Parallelism = 1 },
            Settle, 3, NullRunObserver.Instance, CancellationToken.None)).Single();

        Assert.True(live.Equal, string.Join("; ", live.Differences.Select(d => $"{d.Key} {d.Kind}")));
        Assert.Empty(live.DifferingRanges);
        Assert.Equal(20_000, live.SourceRows);
    }

    [Fact]
    public async Task ADifferenceAllOverTheRangeIsNotTheShopsLastWritesAndLeavesTheRangeWhole()
    {
        var (source, target, _) = await TablePair.CreateAsync("flyokai_hot", Ddl, Rows, rowsOnBothEnds: true);
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        var (from, to) = (source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster));
        // One row in each of the 20 narrowed ranges differs and no replay mends them (a target changed behind the copy):
        // after MaxNarrowedRanges of them the walk stops, and the whole range is left for the gate, as before narrowing.
        await target.ExecuteAsync("UPDATE flyokai_hot SET v = -v WHERE id % 1000 = 500");
        var observer = new RecordingObserver();

        var live = (await DataVerifier.VerifyLiveAsync(from, to, new[] { "flyokai_hot" }, new VerifySettings { ChunkRows = 100_000, Parallelism = 1 },
            (_, _) => Task.CompletedTask, 3, observer, CancellationToken.None)).Single();

        Assert.False(live.Equal);
        var whole = Assert.Single(live.DifferingRanges);
        Assert.Null(whole.Lower);
        Assert.Null(whole.Upper);
        Assert.Equal((20_000L, 20_000L), (live.SourceRows, live.TargetRows));
        Assert.Contains(observer.Lines, l => l.Contains($"more than {DataVerifier.MaxNarrowedRanges} ranges", StringComparison.Ordinal));
        Assert.Equal(DataVerifier.MaxNarrowedRanges + 1, live.Differences.Count);
    }
}
