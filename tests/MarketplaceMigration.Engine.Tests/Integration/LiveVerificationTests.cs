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
        // brings over only on its fifth call: after the replay before the whole range's first comparison and its three
        // re-checks, when the range is being narrowed.
        await target.ExecuteAsync("DELETE FROM flyokai_hot WHERE id > 19990; INSERT INTO flyokai_hot VALUES (20001, 1)");
        var settles = 0;
        async Task Settle(string table, CancellationToken token)
        {
            if (Interlocked.Increment(ref settles) == 5)
                await target.ExecuteAsync("DELETE FROM flyokai_hot WHERE id = 20001; INSERT INTO flyokai_hot SELECT seq, seq FROM seq_19991_to_20000");
        }

        var live = (await DataVerifier.VerifyLiveAsync(from, to, new[] { "flyokai_hot" }, new VerifySettings { ChunkRows = 100_000, Parallelism = 1 },
            Settle, 3, NullRunObserver.Instance, CancellationToken.None)).Single();

        Assert.True(live.Equal, string.Join("; ", live.Differences.Select(d => $"{d.Key} {d.Kind}")));
        Assert.Empty(live.DifferingRanges);
        Assert.Equal(20_000, live.SourceRows);
        Assert.True(settles >= 5, $"{settles} settles");
    }

    [Fact]
    public async Task ARangeIsComparedAfterItsTablesWaitingChangesAreReplayedSoItIsReadOnce()
    {
        var (source, target, _) = await TablePair.CreateAsync("flyokai_hot", Ddl, Rows, rowsOnBothEnds: true);
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        var (from, to) = (source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster));
        // The shop changed a row since the last replay: the target is behind until the next one.
        await source.ExecuteAsync("UPDATE flyokai_hot SET v = -1 WHERE id = 7");
        var settles = 0;
        async Task Settle(string table, CancellationToken token)
        {
            if (Interlocked.Increment(ref settles) == 1)
                await target.ExecuteAsync("UPDATE flyokai_hot SET v = -1 WHERE id = 7");
        }

        var observer = new RecordingObserver();
        var live = (await DataVerifier.VerifyLiveAsync(from, to, new[] { "flyokai_hot" }, new VerifySettings { ChunkRows = 100_000, Parallelism = 1 },
            Settle, 3, observer, CancellationToken.None)).Single();

        Assert.True(live.Equal);
        Assert.Equal(1, settles);
        Assert.DoesNotContain(observer.Lines, l => l.Contains("compared again", StringComparison.Ordinal));
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

    [Fact]
    public async Task TheVerificationWhileLiveKeepsToTheRunsThrottleAndTheGatesDoesNot()
    {
        var (source, target, _) = await TablePair.CreateAsync("flyokai_hot", Ddl, Rows, rowsOnBothEnds: true);
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        var (from, to) = (source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster));
        // 20,000 rows in ranges of 5,000 at 10,000 rows/s: the reads after the first wait for the budget, at least 1.5 s in all.
        var settings = new VerifySettings { ChunkRows = 5_000, Parallelism = 1, Pace = new Copy.CopyThrottle(10_000, null, null).WaitAsync };
        var observer = new RecordingObserver();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var live = (await DataVerifier.VerifyLiveAsync(from, to, new[] { "flyokai_hot" }, settings, (_, _) => Task.CompletedTask, 3, observer, CancellationToken.None)).Single();

        Assert.True(live.Equal);
        Assert.True(watch.Elapsed.TotalSeconds >= 1.3, $"20,000 rows at 10,000 rows/s verified in {watch.Elapsed.TotalSeconds:0.00} s");
        Assert.Contains("throttled to 10000 rows/s", observer.Notes);

        // The changed rows' check while live keeps to it too; the gate's verification of the same table does not wait.
        var keys = Enumerable.Range(1, 1_500).Select(i => (IReadOnlyList<KeyValue>)new[] { KeyValue.From(i) }).ToList();
        var changed = new RecordingObserver();
        await DataVerifier.VerifyKeysAsync(from, to, new[] { "flyokai_hot" }, (_, _) => Task.FromResult(keys), counts: false, settings, changed, CancellationToken.None);
        Assert.Contains("throttled to 10000 rows/s", changed.Notes);
        var gate = new RecordingObserver();
        Assert.True((await DataVerifier.VerifyAsync(from, to, new[] { "flyokai_hot" }, settings, gate, CancellationToken.None)).Single().Equal);
        Assert.DoesNotContain(gate.Notes, n => n.StartsWith("throttled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheVerificationWhileLivePausesWhileTheSourceIsBusy()
    {
        var (source, target, _) = await TablePair.CreateAsync("flyokai_hot", Ddl, Rows, rowsOnBothEnds: true);
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        var (from, to) = (source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster));
        // A condition that always holds (the server has been up for more than 0 s): after its first range the pass waits.
        var settings = new VerifySettings { ChunkRows = 5_000, Parallelism = 1, Pace = new Copy.CopyThrottle(null, "Uptime", 0).WaitAsync };
        var observer = new RecordingObserver();
        using var stop = new CancellationTokenSource();

        var live = DataVerifier.VerifyLiveAsync(from, to, new[] { "flyokai_hot" }, settings, (_, _) => Task.CompletedTask, 3, observer, stop.Token);
        for (var i = 0; i < 100 && !observer.Notes.Any(n => n.StartsWith("paused: Uptime is ", StringComparison.Ordinal)); i++)
            await Task.Delay(50);

        Assert.Contains(observer.Notes, n => n.StartsWith("paused: Uptime is ", StringComparison.Ordinal) && n.EndsWith("(limit 0)", StringComparison.Ordinal));
        Assert.False(live.IsCompleted);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => live);
    }
}
