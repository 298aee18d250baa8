using System;
using System.Collections.Generic;
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
using Xunit;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>Chunk boundaries over every key shape, and an interrupted copy resuming exactly.</summary>
public sealed class TableCopierTests
{
    private static Task<(TestDatabase Source, TestDatabase Target, TableLayout Layout)> PrepareAsync(string ddl, string table, string rows)
        => TablePair.CreateAsync(table, ddl, rows);

    private static string Values(IEnumerable<string> rows) => string.Join(", ", rows);

    /// <summary>flyokai_k with 50 rows, keys 3 to 150 in steps of 3.</summary>
    private static Task<(TestDatabase Source, TestDatabase Target, TableLayout Layout)> PrepareFiftyRowsAsync()
        => PrepareAsync("CREATE TABLE flyokai_k (id INT PRIMARY KEY, v VARCHAR(10))", "flyokai_k",
            "INSERT INTO flyokai_k VALUES " + Values(Enumerable.Range(1, 50).Select(i => $"({i * 3}, 'v{i}')")));

    /// <summary>A copy in chunks of 7 rows stopped right after its <paramref name="checkpoints"/>th checkpoint, as a killed run leaves it.</summary>
    private static async Task<TableCopyState> InterruptedCopyAsync(TestDatabase source, TestDatabase target, TableLayout layout, int checkpoints, long rowsPlanned = 50)
    {
        var progress = new TableCopyState { Table = "flyokai_k", RowsPlanned = rowsPlanned };
        using var stop = new CancellationTokenSource();
        var saves = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TableCopier.CopyAsync(
            source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = 7 }, 1, () => { if (++saves == checkpoints) stop.Cancel(); }, NullRunObserver.Instance, stop.Token));
        return progress;
    }

    public static TheoryData<string, string, string, int, int, long> Shapes() => new()
    {
        // name, DDL, rows, chunk rows, expected chunks, expected rows
        { "empty table", "CREATE TABLE flyokai_k (id INT PRIMARY KEY, v VARCHAR(10))", "", 4, 1, 0 },
        { "one row", "CREATE TABLE flyokai_k (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO flyokai_k VALUES (7, 'a')", 4, 1, 1 },
        // A dense integer key is cut arithmetically: 12 rows in chunks of 4 key values are 3 chunks, the last open above.
        { "exact multiple of the chunk, dense key", "CREATE TABLE flyokai_k (id INT PRIMARY KEY, v VARCHAR(10))",
            "INSERT INTO flyokai_k VALUES " + Values(Enumerable.Range(1, 12).Select(i => $"({i}, 'v{i}')")), 4, 3, 12 },
        // A sparse one is walked by the cursor: 3 full chunks and the empty rest.
        { "exact multiple of the chunk, sparse key", "CREATE TABLE flyokai_k (id INT PRIMARY KEY, v VARCHAR(10))",
            "INSERT INTO flyokai_k VALUES " + Values(Enumerable.Range(1, 12).Select(i => $"({i * 1000}, 'v{i}')")), 4, 4, 12 },
        { "one more than a multiple", "CREATE TABLE flyokai_k (id INT PRIMARY KEY, v VARCHAR(10))",
            "INSERT INTO flyokai_k VALUES " + Values(Enumerable.Range(1, 13).Select(i => $"({i}, 'v{i}')")), 4, 4, 13 },
        { "keys with gaps and negatives", "CREATE TABLE flyokai_k (id BIGINT PRIMARY KEY, v VARCHAR(10))",
            "INSERT INTO flyokai_k VALUES (-9223372036854775808, 'min'), (-5, 'a'), (0, 'zero'), (3, 'b'), (1000, 'c'), (1001, 'd'), (9223372036854775807, 'max')", 2, 4, 7 },
        { "unsigned keys beyond 2^63", "CREATE TABLE flyokai_k (id BIGINT UNSIGNED PRIMARY KEY, v VARCHAR(10))",
            "INSERT INTO flyokai_k VALUES (0, 'a'), (9223372036854775807, 'b'), (9223372036854775808, 'c'), (18446744073709551614, 'd'), (18446744073709551615, 'e')", 2, 3, 5 },
        { "binary keys with 0x00 and trailing zeros", "CREATE TABLE flyokai_k (id BINARY(16) PRIMARY KEY, v VARCHAR(10))",
            "INSERT INTO flyokai_k VALUES " + Values(Enumerable.Range(0, 10).Select(i => $"(UNHEX('{i:X2}00{(i % 3 == 0 ? "5C27" : "0A1A")}000000000000000000000000'), 'b{i}')")), 3, 4, 10 },
        { "composite key", "CREATE TABLE flyokai_k (tenant SMALLINT, id BINARY(4), v VARCHAR(10), PRIMARY KEY (tenant, id))",
            "INSERT INTO flyokai_k VALUES " + Values(Enumerable.Range(0, 11).Select(i => $"({i % 3}, UNHEX('{i:X2}000000'), 'c{i}')")), 4, 3, 11 },
        { "decimal and string composite key", "CREATE TABLE flyokai_k (price DECIMAL(30,10), code VARCHAR(20), v INT, PRIMARY KEY (price, code))",
            "INSERT INTO flyokai_k VALUES (-1.5, 'a', 1), (0.0000000001, 'b', 2), (0.0000000001, 'c', 3), (12345678901234567890.5, 'd', 4), (12345678901234567890.5, 'é', 5)", 2, 3, 5 },
        { "datetime key", "CREATE TABLE flyokai_k (at DATETIME(6) PRIMARY KEY, v INT)",
            "INSERT INTO flyokai_k VALUES ('1000-01-01 00:00:00', 1), ('2024-02-29 12:00:00.000001', 2), ('2024-02-29 12:00:00.000002', 3), ('9999-12-31 23:59:59.999999', 4)", 3, 2, 4 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task CopiesEveryShapeInExactChunks(string shape, string ddl, string rows, int chunkRows, int chunks, long expectedRows)
    {
        var (source, target, layout) = await PrepareAsync(ddl, "flyokai_k", rows);
        await using (source)
        await using (target)
        {
            var progress = new TableCopyState { Table = "flyokai_k" };
            var saves = 0;

            await TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = chunkRows }, 1, () => saves++, NullRunObserver.Instance, CancellationToken.None);

            Assert.True(progress.Complete, shape);
            Assert.Equal(expectedRows, progress.RowsCopied);
            Assert.Equal(chunks, progress.ChunksCopied);
            Assert.Equal(chunks, saves);
            await IndependentCompare.AssertEqualAsync(source, target, new[] { "flyokai_k" });
            var verified = await DataVerifier.VerifyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), new[] { "flyokai_k" }, new VerifySettings { ChunkRows = chunkRows, Parallelism = 2 }, NullRunObserver.Instance, CancellationToken.None);
            Assert.True(verified.Single().Equal, shape);
        }
    }

    [Fact]
    public async Task AnInterruptedCopyResumesExactlyWithoutLosingOrDuplicatingARow()
    {
        var (source, target, layout) = await PrepareFiftyRowsAsync();
        await using (source)
        await using (target)
        {
            var progress = await InterruptedCopyAsync(source, target, layout, checkpoints: 3);
            Assert.Equal(21, progress.RowsCopied);
            Assert.False(progress.Complete);
            // As if the next chunk had committed on the target but the process died before recording it:
            await target.ExecuteAsync("INSERT INTO flyokai_k VALUES (66, 'v22'), (69, 'v23')");

            await TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = 7 }, 1, () => { }, NullRunObserver.Instance, CancellationToken.None);

            Assert.True(progress.Complete);
            Assert.Equal(50, progress.RowsCopied);
            Assert.Equal(50L, await IndependentCompare.CountAsync(target, "flyokai_k"));
            await IndependentCompare.AssertEqualAsync(source, target, new[] { "flyokai_k" });
        }
    }

    [Theory]
    [InlineData("DELETE FROM flyokai_k WHERE id = 9", "a row of the copied part deleted")]
    [InlineData("UPDATE flyokai_k SET v = 'other' WHERE id = 12", "a row of the copied part changed")]
    [InlineData("INSERT INTO flyokai_k VALUES (1, 'foreign')", "a foreign row inside the copied range")]
    public async Task AResumeProvesThePartialCopyIsOursAndOtherwiseCopiesTheTableAgain(string tamper, string what)
    {
        var (source, target, layout) = await PrepareFiftyRowsAsync();
        await using (source)
        await using (target)
        {
            var progress = await InterruptedCopyAsync(source, target, layout, checkpoints: 2);
            Assert.Equal(14, progress.RowsCopied);
            await target.ExecuteAsync(tamper);
            var observer = new RecordingObserver();

            await TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = 7 }, 1, () => { }, observer, CancellationToken.None);

            Assert.Contains(observer.Warnings, w => w.Contains("not exactly the ones this run copied", StringComparison.Ordinal));
            Assert.True(progress.Complete, what);
            Assert.Equal(50, progress.RowsCopied);
            Assert.Equal(8, progress.ChunksCopied);    // copied again from the start: 50 rows in chunks of 7
            await IndependentCompare.AssertEqualAsync(source, target, new[] { "flyokai_k" });
        }
    }

    [Fact]
    public async Task AResumeOverAnUntouchedPartialCopyContinuesWithoutWarning()
    {
        var (source, target, layout) = await PrepareFiftyRowsAsync();
        await using (source)
        await using (target)
        {
            var progress = await InterruptedCopyAsync(source, target, layout, checkpoints: 2);
            var observer = new RecordingObserver();

            await TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = 7 }, 1, () => { }, observer, CancellationToken.None);

            Assert.Empty(observer.Warnings);
            Assert.Equal(8, progress.ChunksCopied);    // 2 before the interruption + 6 after: nothing copied twice
            await IndependentCompare.AssertEqualAsync(source, target, new[] { "flyokai_k" });
        }
    }

    [Theory]
    [InlineData("UPDATE flyokai_h SET s = '' WHERE id = 1", "NULL string became empty")]
    [InlineData("UPDATE flyokai_h SET n = 0 WHERE id = 1", "NULL number became 0")]
    [InlineData("UPDATE flyokai_h SET n = NULL WHERE id = 2", "a number became NULL")]
    [InlineData("UPDATE flyokai_h SET a = UNHEX('78'), b = UNHEX('0079') WHERE id = 2", "a 0x00 byte shifted between two byte columns")]
    [InlineData("UPDATE flyokai_h SET s = 'a', t = 'bc' WHERE id = 3", "text shifted between two string columns")]
    [InlineData("UPDATE flyokai_h SET t = CONCAT('t', CHAR(0), 'x'), a = '' WHERE id = 2", "a 0x00 byte shifted into the one column hashed without its length")]
    [InlineData("UPDATE flyokai_h SET t = 'c ' WHERE id = 3", "a trailing space")]
    [InlineData("UPDATE flyokai_h SET d = '2024-01-01 00:00:00.000002' WHERE id = 3", "a microsecond")]
    [InlineData("UPDATE flyokai_h SET k = 8 WHERE id = 3", "a NOT NULL number")]
    public async Task TheRowHashTellsApartWhatOnlyLooksAlike(string change, string what)
    {
        var (source, target, layout) = await PrepareAsync(
            "CREATE TABLE flyokai_h (id INT PRIMARY KEY, k INT NOT NULL, n INT NULL, s VARCHAR(10) NULL, t VARCHAR(10) NOT NULL, a VARBINARY(4) NULL, b VARBINARY(4) NULL, d DATETIME(6) NULL)", "flyokai_h",
            "INSERT INTO flyokai_h VALUES (1, 1, NULL, NULL, 'x', NULL, NULL, NULL), (2, 2, 5, 's', 't', UNHEX('7800'), UNHEX('79'), '2024-01-01'), (3, 3, 6, 'ab', 'c', '', '', '2024-01-01 00:00:00.000001')");
        await using (source)
        await using (target)
        {
            await TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, new TableCopyState { Table = "flyokai_h" }, new CopySettings { ChunkRows = 10 }, 1, () => { }, NullRunObserver.Instance, CancellationToken.None);
            Assert.True((await DataVerifier.VerifyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), new[] { "flyokai_h" }, new VerifySettings { ChunkRows = 100, Parallelism = 1 }, NullRunObserver.Instance, CancellationToken.None)).Single().Equal);

            await target.ExecuteAsync(change);

            var result = (await DataVerifier.VerifyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), new[] { "flyokai_h" }, new VerifySettings { ChunkRows = 100, Parallelism = 1 }, NullRunObserver.Instance, CancellationToken.None)).Single();
            Assert.False(result.Equal, what);
            Assert.Equal(RowDifferenceKind.Different, Assert.Single(result.Differences).Kind);
        }
    }

    /// <summary>Text that LOAD DATA could misread, in every spelling the stream must escape, plus the cases that only look alike.</summary>
    private const string AwkwardText = "INSERT INTO flyokai_cs VALUES "
        + "(1, 'é ß ø', 'é ß ø', 'plain', 'é 😀 日本', 'a,c'), "
        + "(2, CONCAT('tab', CHAR(9), 'nl', CHAR(10), 'cr', CHAR(13), 'nul', CHAR(0), 'end'), CONCAT('a', CHAR(9), 'b'), CONCAT('x', CHAR(10)), CONCAT('bs\\\\', CHAR(0)), 'b'), "
        + "(3, '\\\\N', '\\\\N', '\\\\', '\\\\\\\\t', 'a'), "
        + "(4, '', '', '', '', 'c'), "
        + "(5, NULL, NULL, NULL, NULL, NULL), "
        + "(6, 'trailing  ', ' lead', 'N', 'NULL', 'a,b')";

    [Theory]
    [InlineData("latin1 on both ends", "latin1", "latin1")]
    [InlineData("latin1 on the source, utf8mb4 on the target", "latin1", "utf8mb4")]
    [InlineData("utf8mb4 on the source, latin1 on the target", "utf8mb4", "latin1")]
    public async Task TextArrivesExactlyWhateverTheCharacterSetsAndTheBytesInIt(string what, string sourceCharset, string targetCharset)
    {
        string Ddl(string charset) => "CREATE TABLE flyokai_cs (id INT PRIMARY KEY, a VARCHAR(40) CHARACTER SET " + charset + " NULL, b TEXT CHARACTER SET " + charset
            + " NULL, c CHAR(10) CHARACTER SET " + charset + " NULL, u VARCHAR(40) CHARACTER SET utf8mb4 NULL, s SET('a', 'b', 'c') CHARACTER SET " + charset + " NULL)";
        // Only what latin1 can hold goes into the latin1 columns; u stays utf8mb4 on both ends.
        var (source, target, layout) = await TablePair.CreateAsync("flyokai_cs", Ddl(sourceCharset), AwkwardText, targetDdl: Ddl(targetCharset));
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        var progress = new TableCopyState { Table = "flyokai_cs" };

        await TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = 4 }, 1, () => { }, NullRunObserver.Instance, CancellationToken.None);

        Assert.True(progress.Complete, what);
        Assert.Equal(6, progress.RowsCopied);
        await IndependentCompare.AssertEqualAsync(source, target, new[] { "flyokai_cs" }, sameStorage: sourceCharset == targetCharset);
        Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM flyokai_cs WHERE a = CONCAT('tab', CHAR(9), 'nl', CHAR(10), 'cr', CHAR(13), 'nul', CHAR(0), 'end')")));
        Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM flyokai_cs WHERE a = '\\\\N' AND b IS NOT NULL")));
        Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM flyokai_cs WHERE a IS NULL AND b IS NULL AND c IS NULL")));
        Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM flyokai_cs WHERE a = '' AND b = '' AND u = ''")));
        Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM flyokai_cs WHERE u = 'é 😀 日本'")));
        var plan = await LoadPlanOf(target, layout);
        Assert.Equal(sourceCharset == targetCharset ? 0 : 4, plan.Expressions.Count(e => e.Contains("CONVERT(", StringComparison.Ordinal)));   // a, b, c, s convert only across character sets
    }

    private static async Task<LoadPlan> LoadPlanOf(TestDatabase target, TableLayout layout)
    {
        await using var connection = await target.OpenAsync();
        return await LoadPlan.ReadAsync(connection, layout, CancellationToken.None);
    }

    [Fact]
    public async Task AValueTheTargetCannotHoldStopsTheCopyAndCommitsNothingOfThatChunk()
    {
        var (source, target, layout) = await TablePair.CreateAsync("flyokai_n", "CREATE TABLE flyokai_n (id INT PRIMARY KEY, v VARCHAR(20))",
            "INSERT INTO flyokai_n VALUES (1, 'a'), (2, 'b'), (3, 'far too long'), (4, 'd')", targetDdl: "CREATE TABLE flyokai_n (id INT PRIMARY KEY, v VARCHAR(5))");
        await using var sourceDatabase = source;
        await using var targetDatabase = target;
        var progress = new TableCopyState { Table = "flyokai_n" };

        var error = await Assert.ThrowsAsync<Errors.MigrationException>(() => TableCopier.CopyAsync(
            source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = 2 }, 1, () => { }, NullRunObserver.Instance, CancellationToken.None));

        Assert.Equal(Errors.ErrorIds.TargetWriteFailed, error.ErrorId);
        Assert.Contains("flyokai_n", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, progress.RowsCopied);                              // the first chunk, checkpointed
        Assert.Equal(2L, await IndependentCompare.CountAsync(target, "flyokai_n"));   // nothing of the second
    }

    [Fact]
    public async Task AnInterruptedCopyOverADenseKeyResumesExactlyAfterItsArithmeticCheckpoint()
    {
        var (source, target, layout) = await PrepareAsync("CREATE TABLE flyokai_k (id INT PRIMARY KEY, v VARCHAR(10))", "flyokai_k",
            "INSERT INTO flyokai_k VALUES " + Values(Enumerable.Range(1, 49).Select(i => $"({i}, 'v{i}')")));
        await using (source)
        await using (target)
        {
            var progress = await InterruptedCopyAsync(source, target, layout, checkpoints: 3, rowsPlanned: 49);

            Assert.Equal(21, progress.RowsCopied);
            Assert.Equal("21", progress.LastKey!.Single().Value);            // (-, 7], (7, 14], (14, 21]
            await target.ExecuteAsync("INSERT INTO flyokai_k VALUES (22, 'v22'), (23, 'v23')");   // committed, not recorded

            await TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = 7 }, 1, () => { }, NullRunObserver.Instance, CancellationToken.None);

            Assert.True(progress.Complete);
            Assert.Equal(49, progress.RowsCopied);
            Assert.Equal(7, progress.ChunksCopied);                           // 6 chunks of 7 key values and the open rest (the cursor would take 8)
            await IndependentCompare.AssertEqualAsync(source, target, new[] { "flyokai_k" });
        }
    }

    [Fact]
    public async Task ACancelWhileAChunkStreamsCommitsNothingOfItAndTheRerunCopiesEveryRowOnce()
    {
        var (source, target, layout) = await PrepareFiftyRowsAsync();
        await using (source)
        await using (target)
        {
            // A slow target: the one chunk of 50 rows takes about 2.5 s to load, the cancel comes in the middle.
            await target.ExecuteAsync("CREATE TRIGGER slow BEFORE INSERT ON flyokai_k FOR EACH ROW DO SLEEP(0.05)");
            var progress = new TableCopyState { Table = "flyokai_k", RowsPlanned = 50 };
            using var stop = new CancellationTokenSource();
            var copy = TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = 100 }, 1, () => { },
                NullRunObserver.Instance, stop.Token);
            await Task.Delay(700);
            stop.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copy);
            Assert.Equal(0, progress.RowsCopied);
            Assert.Null(progress.LastKey);
            Assert.Equal(0L, await IndependentCompare.CountAsync(target, "flyokai_k"));

            await target.ExecuteAsync("DROP TRIGGER slow");
            await TableCopier.CopyAsync(source.AsTarget(EndpointRole.Shopware), target.AsTarget(EndpointRole.Cluster), layout, progress, new CopySettings { ChunkRows = 100 }, 1, () => { }, NullRunObserver.Instance, CancellationToken.None);
            Assert.True(progress.Complete);
            await IndependentCompare.AssertEqualAsync(source, target, new[] { "flyokai_k" });
        }
    }

    [Fact]
    public void AdaptiveChunksAimAtTwoSeconds()
    {
        var sizer = new ChunkSizer(null);
        Assert.Equal(100_000, sizer.Rows);    // a large first chunk: the bulk path for an empty table
        sizer.Observe(100_000, 0.05);         // fast: grow, at most fourfold
        Assert.Equal(400_000, sizer.Rows);
        sizer.Observe(400_000, 4.0);          // 100k rows/s: two seconds is 200k
        Assert.Equal(200_000, sizer.Rows);
        sizer.Observe(200_000, 100.0);        // very slow: shrink, at most fourfold
        Assert.Equal(50_000, sizer.Rows);
        sizer.Observe(5, 0.001, last: true);  // the short last chunk says nothing
        Assert.Equal(50_000, sizer.Rows);
        sizer.Observe(10_000, 0.5);           // a chunk of key values with gaps: 20k rows/s still counts
        Assert.Equal(40_000, sizer.Rows);
        var fixedSizer = new ChunkSizer(3);
        fixedSizer.Observe(3, 10);
        Assert.Equal(3, fixedSizer.Rows);
    }
}
