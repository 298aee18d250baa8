using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.TestRig;
using MySqlConnector;
using Xunit;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Tests.Integration;

[CollectionDefinition(nameof(CopyThrottleTests), DisableParallelization = true)]
public sealed class CopyThrottleCollection
{
}

/// <summary>Runs alone: the pause test reads a server-wide status variable that parallel tests would move.</summary>
[Collection(nameof(CopyThrottleTests))]
public sealed class CopyThrottleTests
{
    private static Task<(TestDatabase Source, TestDatabase Target, TableLayout Layout)> PrepareAsync(int rows)
        => TablePair.CreateAsync("flyokai_t", "CREATE TABLE flyokai_t (id INT PRIMARY KEY, v VARCHAR(20))",
            "INSERT INTO flyokai_t VALUES " + string.Join(", ", Enumerable.Range(1, rows).Select(i => $"({i}, 'row {i}')")));

    [Fact]
    public async Task TheRateLimitHoldsAndIsReported()
    {
        var (source, target, layout) = await PrepareAsync(3000);
        await using (source)
        await using (target)
        {
            var notes = new RecordingObserver();
            var watch = Stopwatch.StartNew();

            await TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, new TableCopyState { Table = "flyokai_t", RowsPlanned = 3000 },
                new CopySettings { Throttle = new CopyThrottle(2000, null, null) }, 1, () => { }, notes, CancellationToken.None);

            Assert.True(watch.Elapsed.TotalSeconds >= 0.9, $"3,000 rows at 2,000 rows/s took {watch.Elapsed.TotalSeconds:0.00} s");
            Assert.Contains("throttled to 2000 rows/s", notes.Notes);
            Assert.Equal(3000L, await IndependentCompare.CountAsync(target, "flyokai_t"));
        }
    }

    [Fact]
    public async Task TheCopyPausesWhileTheSourceIsBusyAndGoesOnAfterwards()
    {
        var (source, target, layout) = await PrepareAsync(500);
        await using (source)
        await using (target)
        {
            const string Connected = "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'THREADS_CONNECTED'";
            var baseline = Convert.ToInt64(await source.ScalarAsync(Connected));
            var busy = new List<MySqlConnection>();
            for (var i = 0; i < 8; i++)
            {
                var c = new MySqlConnection(source.ConnectionString + ";Pooling=false");
                await c.OpenAsync();
                busy.Add(c);
            }

            var limit = baseline + 4;       // 8 busy sessions push it above; closing them brings it back
            var notes = new RecordingObserver();
            var copy = TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, new TableCopyState { Table = "flyokai_t", RowsPlanned = 500 },
                new CopySettings { Throttle = new CopyThrottle(null, "Threads_connected", limit) }, 1, () => { }, notes, CancellationToken.None);

            for (var i = 0; i < 100 && !notes.Notes.Any(n => n.StartsWith("paused: Threads_connected is ")); i++) await Task.Delay(50);
            Assert.Contains(notes.Notes, n => n.StartsWith("paused: Threads_connected is ") && n.EndsWith($"(limit {limit})"));
            Assert.False(copy.IsCompleted);
            Assert.Equal(0L, await IndependentCompare.CountAsync(target, "flyokai_t"));

            foreach (var c in busy) await c.DisposeAsync();
            await copy.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(500L, await IndependentCompare.CountAsync(target, "flyokai_t"));
        }
    }

    [Fact]
    public void OnlyAStatusVariableNameIsAccepted()
    {
        Assert.Throws<ArgumentException>(() => new CopyThrottle(null, "Threads_running; DROP TABLE x", 1));
    }
}
