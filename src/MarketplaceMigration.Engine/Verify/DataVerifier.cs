using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Schema;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>
/// Verifies that the target holds exactly the source's rows. Full: both servers compute a digest
/// of every key range (in parallel, several tables at once), and a range whose digests differ is drilled down to the rows
/// that differ. Sample (the seed's check): row counts and a full-row compare of up to 8 random keys.
/// </summary>
public static class DataVerifier
{
    private const int MaxDifferencesPerTable = 20;

    /// <summary>Verifies the listed tables, <see cref="VerifySettings.Parallelism"/> at a time (each with its own pair of sessions).</summary>
    /// <remarks>A table that cannot be compared goes to <see cref="VerifySettings.TableFailed"/> when one is given.</remarks>
    public static async Task<IReadOnlyList<TableVerification>> VerifyAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        IReadOnlyList<string> tables,
        VerifySettings settings,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (settings is null)
            throw new ArgumentNullException(nameof(settings));
        observer ??= NullRunObserver.Instance;
        return await EachTableAsync(
                source,
                target,
                tables,
                settings,
                async (pair, layout, json, activity, token) =>
                {
                    var pass = new RangePass(settings.ChunkRows, activity, settings.Activity);
                    var result =
                        settings.Mode == VerificationMode.Full
                            ? await FullAsync(pair, layout, json, pass, observer, token).ConfigureAwait(false)
                            : await SampleAsync(pair, layout, json, pass, observer, token).ConfigureAwait(false);
                    observer.Verbose(
                        $"Verified {result.Table} ({result.Mode}): {result.SourceRows} source row(s), {result.TargetRows} target "
                            + $"row(s), {result.Chunks} range(s), "
                            + (
                                result.Equal
                                    ? "equal"
                                    : $"{result.MismatchedChunks} mismatched, {result.Differences.Count} differing row(s) named"
                            )
                            + $" in {result.Seconds:0.00} s."
                    );
                    return result;
                },
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>The rows of the ranges a range still different while live is cut into (<see cref="VerifyLiveAsync"/>).</summary>
    public const int LiveNarrowRows = 1000;

    /// <summary>
    /// Verifies the listed tables while the source takes writes (an online run): every range is compared
    /// as <see cref="VerifyAsync"/> does, and one that differs is settled first: <paramref name="settle"/>
    /// replays its table's changelog, and the range is compared again, up to <paramref name="rechecks"/>
    /// times (VDiff's retries). A range still different is cut into ranges of <see cref="LiveNarrowRows"/> rows,
    /// each settled the same way. A table with a range still different is not equal; its rows are named, and
    /// those ranges are its <see cref="TableVerification.DifferingRanges"/> (for <see cref="VerifyRangesAsync"/> under the gate).
    /// </summary>
    public static async Task<IReadOnlyList<TableVerification>> VerifyLiveAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        IReadOnlyList<string> tables,
        VerifySettings settings,
        Func<string, CancellationToken, Task> settle,
        int rechecks,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (settle is null)
            throw new ArgumentNullException(nameof(settle));
        if (settings is null)
            throw new ArgumentNullException(nameof(settings));
        observer ??= NullRunObserver.Instance;
        return await EachTableAsync(
                source,
                target,
                tables,
                settings.Strict,
                (pair, layout, json, activity, token) =>
                    FullAsync(
                        pair,
                        layout,
                        json,
                        new RangePass(settings.ChunkRows, activity, settings.Activity)
                        {
                            Settle = ct => settle(layout.Table, ct),
                            Rechecks = rechecks,
                            Pace = settings.Pace,
                            NarrowRows = Math.Max(1, Math.Min(LiveNarrowRows, settings.ChunkRows / 4)),
                        },
                        observer,
                        token
                    ),
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Compares the listed tables' counts, and the rows of the given keys by their row hashes (an online
    /// run under the gate: the rows changed since the last verification while live). A key on one end
    /// only is a missing or extra row.
    /// </summary>
    /// <remarks>Without <paramref name="counts"/> (while live, where counts mean nothing) only the keys are compared; the counts come back as -1.</remarks>
    public static async Task<IReadOnlyList<TableVerification>> VerifyKeysAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        IReadOnlyList<string> tables,
        Func<string, CancellationToken, Task<List<IReadOnlyList<KeyValue>>>> keysOf,
        bool counts,
        VerifySettings settings,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (keysOf is null)
            throw new ArgumentNullException(nameof(keysOf));
        if (settings is null)
            throw new ArgumentNullException(nameof(settings));
        observer ??= NullRunObserver.Instance;
        return await EachTableAsync(
                source,
                target,
                tables,
                settings.Strict,
                async (pair, layout, json, activity, token) =>
                {
                    var watch = Stopwatch.StartNew();
                    var keys = await keysOf(layout.Table, token).ConfigureAwait(false);
                    var (sourceRows, targetRows, differences, batches) = await pair.ReconnectingAsync(
                            async () =>
                            {
                                var sourceCount =
                                    !counts ? Task.FromResult(-1L)
                                    : settings.SourceCounts != null && settings.SourceCounts.TryGetValue(layout.Table, out var known)
                                        ? Task.FromResult(known)
                                    : CountAsync(pair.Source, layout, token);
                                var targetCount = counts ? CountAsync(pair.Target, layout, token) : Task.FromResult(-1L);
                                var rows = (await sourceCount.ConfigureAwait(false), await targetCount.ConfigureAwait(false));
                                var found = new List<RowDifference>();
                                var passes = 0;
                                for (var i = 0; i < keys.Count; i += 500)
                                {
                                    var batch = keys.GetRange(i, Math.Min(500, keys.Count - i));
                                    await PaceAsync(
                                            settings.Pace,
                                            pair.Source,
                                            batch.Count,
                                            observer,
                                            activity,
                                            settings.Activity,
                                            layout.Table,
                                            token
                                        )
                                        .ConfigureAwait(false);
                                    var a = await RowHashesByKeyAsync(pair.Source, layout, json, batch, token).ConfigureAwait(false);
                                    var b = await RowHashesByKeyAsync(pair.Target, layout, json, batch, token).ConfigureAwait(false);
                                    found.AddRange(Differences(layout, a, b));
                                    passes++;
                                }

                                return (rows.Item1, rows.Item2, found, passes);
                            },
                            $"{layout.Table}: comparing its {keys.Count} changed row(s)",
                            ReadPair.Telling(observer, activity, settings.Activity, layout.Table),
                            token
                        )
                        .ConfigureAwait(false);

                    observer.Progress(
                        new ProgressUpdate
                        {
                            ActivityId = activity,
                            Activity = settings.Activity,
                            Table = layout.Table,
                            RowsDone = keys.Count,
                            RowsTotal = keys.Count,
                            Completed = true,
                        }
                    );
                    var result = new TableVerification(
                        layout.Table,
                        "Changed",
                        sourceRows,
                        targetRows,
                        batches,
                        differences.Count > 0 ? 1 : 0,
                        differences.Take(MaxDifferencesPerTable).ToList(),
                        watch.Elapsed.TotalSeconds
                    )
                    {
                        DifferingKeys = differences.Select(d => d.Key).ToList(),
                    };
                    observer.Verbose(
                        $"Verified {result.Table} (counts and the {keys.Count} row(s) changed since the last verification): "
                            + $"{sourceRows} source row(s), {targetRows} target row(s), "
                            + (result.Equal ? "equal" : $"{differences.Count} differing row(s)")
                            + $" in {result.Seconds:0.00} s."
                    );
                    return result;
                },
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Compares the given ranges of each table (an online run under the gate: the ranges its verification while live left
    /// different), naming their differing rows. The counts come back as -1: the tables' counts are compared by
    /// <see cref="VerifyKeysAsync"/>.
    /// </summary>
    public static async Task<IReadOnlyList<TableVerification>> VerifyRangesAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        IReadOnlyDictionary<string, List<KeyRange>> ranges,
        VerifySettings settings,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (ranges is null)
            throw new ArgumentNullException(nameof(ranges));
        if (settings is null)
            throw new ArgumentNullException(nameof(settings));
        observer ??= NullRunObserver.Instance;
        return await EachTableAsync(
                source,
                target,
                ranges.Keys.ToList(),
                settings.Strict,
                async (pair, layout, json, activity, token) =>
                {
                    var watch = Stopwatch.StartNew();
                    var pass = new RangePass(settings.ChunkRows, activity, settings.Activity);
                    var differences = new List<RowDifference>();
                    var mismatched = 0;
                    foreach (var range in ranges[layout.Table])
                    {
                        var compared = await pair.ReconnectingAsync(
                                () => CompareAsync(pair, layout, json, range.Lower, range.Upper, pass, differences.Count, observer, token),
                                $"{layout.Table}: the range after ({(range.Lower is null ? "start" : KeyText(range.Lower))})",
                                ReadPair.Telling(observer, activity, settings.Activity, layout.Table),
                                token
                            )
                            .ConfigureAwait(false);
                        if (compared.Source == compared.Target)
                            continue;
                        mismatched++;
                        differences.AddRange(compared.Rows);
                    }

                    observer.Verbose(
                        $"Verified {layout.Table}'s {ranges[layout.Table].Count} range(s) left different while live: "
                            + (mismatched == 0 ? "equal" : $"{mismatched} still different")
                            + $" in {watch.Elapsed.TotalSeconds:0.00} s."
                    );
                    return new TableVerification(
                        layout.Table,
                        "Ranges",
                        -1,
                        -1,
                        ranges[layout.Table].Count,
                        mismatched,
                        differences.Take(MaxDifferencesPerTable).ToList(),
                        watch.Elapsed.TotalSeconds
                    );
                },
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Every differing row of the listed tables (up to <paramref name="maxPerTable"/> each), by key:
    /// missing in the target, extra in the target, or different.
    /// </summary>
    /// <remarks>A table that cannot be compared goes to <see cref="VerifySettings.TableFailed"/> as <see cref="VerifyAsync"/> does.</remarks>
    public static async Task<IReadOnlyList<RowDifference>> CompareAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        IReadOnlyList<string> tables,
        int maxPerTable,
        VerifySettings settings,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (settings is null)
            throw new ArgumentNullException(nameof(settings));
        observer ??= NullRunObserver.Instance;
        var results = await EachTableAsync(
                source,
                target,
                tables,
                settings,
                async (pair, layout, json, activity, token) =>
                {
                    var pass = new RangePass(settings.ChunkRows, activity, settings.Activity) { MaxDifferences = maxPerTable };
                    var result = await FullAsync(pair, layout, json, pass, observer, token).ConfigureAwait(false);
                    if (result.Differences.Count >= maxPerTable)
                        observer.Warning(
                            $"{result.Table}: showing the first {maxPerTable} differing rows; there may be more (-MaxRowsPerTable)."
                        );
                    return result;
                },
                cancellationToken
            )
            .ConfigureAwait(false);
        return results.SelectMany(r => r.Differences).ToList();
    }

    /// <summary>
    /// Runs one verification per table on a few workers, each table with its own source and target
    /// session (so both servers always have work), largest tables first; results in the list's order.
    /// </summary>
    private static async Task<IReadOnlyList<TableVerification>> EachTableAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        IReadOnlyList<string> tables,
        VerifySettings settings,
        Func<ReadPair, TableLayout, bool, int, CancellationToken, Task<TableVerification>> verify,
        CancellationToken cancellationToken
    )
    {
        var (parallelism, tableFailed) = (settings.Parallelism, settings.TableFailed);
        // Both schemas and the servers' families and sizes are read at once (a source error is reported first).
        var probe = ProbeAsync(source, target, cancellationToken);
        IReadOnlyList<TableLayout> layouts;
        if (tableFailed is null)
        {
            var sourceLayouts = LayoutReader.ReadAsync(source, tables, cancellationToken);
            var targetLayouts = TargetLayoutsAsync(target, tables, cancellationToken);
            await Task.WhenAll(sourceLayouts, targetLayouts, probe).ConfigureAwait(false);
            layouts = sourceLayouts.Result;
            SameColumns(target, layouts, targetLayouts.Result);
        }
        else
        {
            layouts = await ComparableLayoutsAsync(source, target, tables, tableFailed, cancellationToken).ConfigureAwait(false);
            await probe.ConfigureAwait(false);
        }

        var (json, sizes) = probe.Result;
        var order = TableSizes.LargestFirst(layouts.Select(l => l.Table).ToList(), t => sizes.TryGetValue(t, out var bytes) ? bytes : 0);
        return await TableWorkers
            .RunAsync(
                layouts,
                order,
                parallelism,
                async (layout, index, token) =>
                {
                    using var pair = await ReadPair
                        .OpenAsync(source, target, settings.StatementSeconds, settings.SyncWaitTarget, token)
                        .ConfigureAwait(false);
                    return await verify(pair, layout, json, index + 1, token).ConfigureAwait(false);
                },
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The source's layouts of the tables that both ends hold with the same columns; each other table is
    /// reported to <paramref name="tableFailed"/> as schema drift, naming the end and the table.
    /// </summary>
    private static async Task<IReadOnlyList<TableLayout>> ComparableLayoutsAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        IReadOnlyList<string> tables,
        Action<Errors.MigrationException> tableFailed,
        CancellationToken cancellationToken
    )
    {
        async Task<SchemaSnapshot> Read(ConnectionTarget end)
        {
            using var connection = await ConnectionFactory.OpenAsync(end, cancellationToken).ConfigureAwait(false);
            return await SchemaReader.ReadAsync(connection, tables, cancellationToken).ConfigureAwait(false);
        }

        var sourceSchema = Read(source);
        var targetSchema = Read(target);
        await Task.WhenAll(sourceSchema, targetSchema).ConfigureAwait(false);
        TableLayout? Layout(ConnectionTarget end, SchemaSnapshot snapshot, string table)
        {
            try
            {
                return LayoutReader.From(end, snapshot, new[] { table })[0];
            }
            catch (Errors.MigrationException ex) when (ex.ErrorId == Errors.ErrorIds.TableNotFound)
            {
                tableFailed(
                    Drift(
                        end,
                        table,
                        $"{table} does not exist on the {end.Endpoint.Role} endpoint {end.Endpoint}, so its rows cannot be compared."
                    )
                );
                return null;
            }
        }

        var layouts = new List<TableLayout>();
        foreach (var table in tables)
        {
            var mine = Layout(source, sourceSchema.Result, table);
            var theirs = mine is null ? null : Layout(target, targetSchema.Result, table);
            if (mine is null || theirs is null)
                continue;
            try
            {
                SameColumns(target, new[] { mine }, new[] { theirs });
                layouts.Add(mine);
            }
            catch (Errors.MigrationException ex)
            {
                tableFailed(ex);
            }
        }

        return layouts;
    }

    /// <summary>The target's layouts; a table missing there is schema drift (not a server error).</summary>
    private static async Task<IReadOnlyList<TableLayout>> TargetLayoutsAsync(
        ConnectionTarget target,
        IReadOnlyList<string> tables,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await LayoutReader.ReadAsync(target, tables, cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.MigrationException ex) when (ex.ErrorId == Errors.ErrorIds.TableNotFound)
        {
            throw Drift(target, ex.Target ?? string.Empty, ex.Reason);
        }
    }

    /// <summary>Whether both ends are the same server family, and the source's table sizes.</summary>
    private static async Task<(bool Json, IReadOnlyDictionary<string, long> Sizes)> ProbeAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        CancellationToken cancellationToken
    )
    {
        using var sourceConnection = await TableSession.OpenReadAsync(source, cancellationToken).ConfigureAwait(false);
        using var targetConnection = await TableSession.OpenReadAsync(target, cancellationToken).ConfigureAwait(false);
        var json = await SameFamilyAsync(sourceConnection, targetConnection, cancellationToken).ConfigureAwait(false);
        return (json, await TableSizes.BytesAsync(sourceConnection, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Rows can only be compared between tables with the same columns: otherwise say so (not a server error).</summary>
    private static void SameColumns(ConnectionTarget target, IReadOnlyList<TableLayout> layouts, IReadOnlyList<TableLayout> other)
    {
        foreach (var (mine, theirs) in layouts.Zip(other, (a, b) => (a, b)))
        {
            var a = mine.Columns.Select(c => c.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
            var b = theirs.Columns.Select(c => c.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
            if (!a.SequenceEqual(b, StringComparer.OrdinalIgnoreCase))
            {
                throw Drift(
                    target,
                    mine.Table,
                    $"{mine.Table} has other columns on {target.Endpoint} ({string.Join(", ", b)}) than on the source "
                        + $"({string.Join(", ", a)}), so its rows cannot be compared."
                );
            }
        }
    }

    private static Errors.MigrationException Drift(ConnectionTarget target, string table, string reason) =>
        new(
            Errors.ErrorIds.SchemaDrift,
            Errors.MigrationErrorKind.PreflightFailed,
            target.Endpoint + "." + table,
            reason,
            "run Test-SchemaParity to list the differences and bring both ends to the same schema (Get-SchemaMigration, "
                + "Invoke-SchemaMigration), then compare again."
        );

    /// <summary>
    /// Whether both ends are the same server family: then JSON is compared as the stored text on the
    /// server (our copy carries it verbatim; MySQL normalises it the same way on both ends). Across
    /// families MySQL 8 rewrites JSON that MariaDB keeps as written, so it is compared by content on the client.
    /// </summary>
    internal static async Task<bool> SameFamilyAsync(MySqlConnection source, MySqlConnection target, CancellationToken cancellationToken)
    {
        async Task<ServerProduct> Product(MySqlConnection c)
        {
            using var command = new MySqlCommand("SELECT VERSION()", c);
            return ServerFlavor
                .FromVersion(
                    Convert.ToString(
                        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                        CultureInfo.InvariantCulture
                    ) ?? string.Empty
                )
                .Product;
        }

        return await Product(source).ConfigureAwait(false) == await Product(target).ConfigureAwait(false);
    }

    private static async Task<TableVerification> FullAsync(
        ReadPair pair,
        TableLayout layout,
        bool jsonOnServer,
        RangePass pass,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var watch = Stopwatch.StartNew();
        var tell = ReadPair.Telling(observer, pass.Activity, pass.ActivityName, layout.Table);
        List<KeyValue>? lower = null;
        long sourceRows = 0,
            targetRows = 0;
        var chunks = 0;
        var mismatched = 0;
        var differences = new List<RowDifference>();
        var unsettled = new List<KeyRange>();
        var ranges = await pair.ReconnectingAsync(
                () => KeyRanges.ForAsync(pair.Source, layout, pass.ChunkRows, null, cancellationToken),
                $"{layout.Table}: planning its ranges",
                tell,
                cancellationToken
            )
            .ConfigureAwait(false);
        while (true)
        {
            var from = lower;
            var range = await pair.ReconnectingAsync(
                    () => RangeAsync(pair, layout, jsonOnServer, ranges, from, pass, differences.Count, observer, cancellationToken),
                    $"{layout.Table}: the range after ({(from is null ? "start" : KeyText(from))})",
                    tell,
                    cancellationToken
                )
                .ConfigureAwait(false);
            chunks++;
            if (range.Source != range.Target && pass.Narrows(range.Source, range.Target))
            {
                // Live, and still different after its re-checks: most of a large range is likely equal, and its
                // difference the rows the shop is writing right now. Cut it into small ranges and settle each; only
                // those still different are left for the gate, so the freeze compares the hot rows, not the table.
                var narrowed = await NarrowAsync(
                        pair,
                        layout,
                        jsonOnServer,
                        from,
                        range,
                        pass,
                        differences.Count,
                        observer,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                chunks += narrowed.Compared;
                sourceRows += narrowed.SourceRows;
                targetRows += narrowed.TargetRows;
                if (narrowed.Unsettled.Count > 0)
                {
                    mismatched++;
                    unsettled.AddRange(narrowed.Unsettled);
                    differences.AddRange(narrowed.Rows);
                }
            }
            else
            {
                sourceRows += range.Source.Rows;
                targetRows += range.Target.Rows;
                if (range.Source != range.Target)
                {
                    mismatched++;
                    unsettled.Add(new KeyRange { Lower = from, Upper = range.Upper });
                    differences.AddRange(range.Rows);
                }
            }

            observer.Progress(
                new ProgressUpdate
                {
                    ActivityId = pass.Activity,
                    Activity = pass.ActivityName,
                    Table = layout.Table,
                    RowsDone = sourceRows,
                    RowsTotal = sourceRows,
                    RowsPerSecond = sourceRows / Math.Max(0.001, watch.Elapsed.TotalSeconds),
                    Completed = range.Upper == null,
                }
            );
            if (range.Upper == null)
                break;
            lower = range.Upper;
        }

        return new TableVerification(
            layout.Table,
            nameof(VerificationMode.Full),
            sourceRows,
            targetRows,
            chunks,
            mismatched,
            differences,
            watch.Elapsed.TotalSeconds
        )
        {
            DifferingRanges = unsettled,
        };
    }

    /// <summary>How many of one range's narrowed ranges may stay different before the range is left whole for the gate.</summary>
    public const int MaxNarrowedRanges = 16;

    /// <summary>
    /// The range after <paramref name="lower"/> up to <paramref name="whole"/>'s upper bound, still different while live, compared
    /// again as ranges of <see cref="RangePass.NarrowRows"/> rows, each settled as any range is: the ones still different, their
    /// rows (up to the pass's limit, less <paramref name="named"/>), and how many ranges were compared. When more than
    /// <see cref="MaxNarrowedRanges"/> stay different, the difference is not the shop's last writes but the data's (a target
    /// changed behind the copy): the walk stops and the range is left whole, as it was.
    /// </summary>
    private static async Task<(
        List<KeyRange> Unsettled,
        List<RowDifference> Rows,
        int Compared,
        long SourceRows,
        long TargetRows
    )> NarrowAsync(
        ReadPair pair,
        TableLayout layout,
        bool jsonOnServer,
        List<KeyValue>? lower,
        ComparedRange whole,
        RangePass pass,
        int named,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var upper = whole.Upper;
        var small = pass with { NarrowRows = 0 };
        var unsettled = new List<KeyRange>();
        var rows = new List<RowDifference>();
        var compared = 0;
        long sourceRows = 0,
            targetRows = 0;
        var at = lower;
        while (true)
        {
            var from = at;
            var (end, range) = await pair.ReconnectingAsync(
                    async () =>
                    {
                        var next = await KeyCursor
                            .NextUpperWithinAsync(pair.Source, layout, from, upper, pass.NarrowRows, cancellationToken)
                            .ConfigureAwait(false);
                        var compare = await CompareAsync(
                                pair,
                                layout,
                                jsonOnServer,
                                from,
                                next ?? upper,
                                small,
                                named + rows.Count,
                                observer,
                                cancellationToken
                            )
                            .ConfigureAwait(false);
                        return (next is null, compare);
                    },
                    $"{layout.Table}: the range after ({(from is null ? "start" : KeyText(from))}), narrowed",
                    ReadPair.Telling(observer, pass.Activity, pass.ActivityName, layout.Table),
                    cancellationToken
                )
                .ConfigureAwait(false);
            compared++;
            sourceRows += range.Source.Rows;
            targetRows += range.Target.Rows;
            if (range.Source != range.Target)
            {
                unsettled.Add(new KeyRange { Lower = from, Upper = range.Upper });
                rows.AddRange(range.Rows);
            }

            if (unsettled.Count > MaxNarrowedRanges)
            {
                observer.Verbose(
                    $"{layout.Table}: more than {MaxNarrowedRanges} ranges of {pass.NarrowRows} row(s) after "
                        + $"({(lower is null ? "start" : KeyText(lower))}) stay different while live: the range is left whole for the gate."
                );
                return (
                    new List<KeyRange>
                    {
                        new() { Lower = lower, Upper = upper },
                    },
                    rows,
                    compared,
                    whole.Source.Rows,
                    whole.Target.Rows
                );
            }

            if (end)
                break;
            at = range.Upper;
        }

        observer.Verbose(
            $"{layout.Table}: the range after ({(lower is null ? "start" : KeyText(lower))}) up to ({(upper is null ? "end" : KeyText(upper))}) "
                + $"stayed different while live; compared again as {compared} range(s) of {pass.NarrowRows} row(s): "
                + (
                    unsettled.Count == 0
                        ? "each equal once its changes were replayed."
                        : $"{unsettled.Count} still different, left for the gate."
                )
        );
        return (unsettled, rows, compared, sourceRows, targetRows);
    }

    /// <summary>
    /// One range compared, read-only from start to end (so an interrupted link can simply try it again): its
    /// upper bound, both digests, and when they differ, the differing rows (up to the pass's limit, less
    /// <paramref name="named"/> already named).
    /// </summary>
    private static async Task<ComparedRange> RangeAsync(
        ReadPair pair,
        TableLayout layout,
        bool jsonOnServer,
        KeyRanges ranges,
        List<KeyValue>? lower,
        RangePass pass,
        int named,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var upper = await ranges.NextUpperAsync(pair.Source, lower, pass.ChunkRows, cancellationToken).ConfigureAwait(false);
        return await CompareAsync(pair, layout, jsonOnServer, lower, upper, pass, named, observer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The range after <paramref name="lower"/> up to <paramref name="upper"/> compared, as <see cref="RangeAsync"/> does.</summary>
    private static async Task<ComparedRange> CompareAsync(
        ReadPair pair,
        TableLayout layout,
        bool jsonOnServer,
        List<KeyValue>? lower,
        List<KeyValue>? upper,
        RangePass pass,
        int named,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var (source, target) = (pair.Source, pair.Target);
        async Task<(ChunkDigest, ChunkDigest)> Both(bool ordered)
        {
            var both = await BothAsync(source, target, layout, jsonOnServer, lower, upper, ordered, cancellationToken)
                .ConfigureAwait(false);
            // Live: the rows just read count against the run's throttle before the next read of the source.
            await PaceAsync(
                    pass.Pace,
                    source,
                    both.Source.Rows,
                    observer,
                    pass.Activity,
                    pass.ActivityName,
                    layout.Table,
                    cancellationToken
                )
                .ConfigureAwait(false);
            return both;
        }

        if (pass.Settle != null)
        {
            // Live: replay the table's waiting changes first, so a range the shop wrote to since the last replay is not read
            // twice (a pass that takes minutes, or keeps to a throttle, would otherwise find most ranges behind and read them again).
            await pass.Settle(cancellationToken).ConfigureAwait(false);
        }

        var (s, t) = await Both(ordered: true).ConfigureAwait(false);
        if (s != t && s.Rows == t.Rows)
        {
            // The ordered fold also differs when the two servers read the same rows in another order, or a
            // range outgrew group_concat_max_len: the order-free sums settle it before any row is named.
            (s, t) = await Both(ordered: false).ConfigureAwait(false);
            if (s == t)
                observer.Debug(
                    $"{layout.Table}: the range after ({(lower is null ? "start" : KeyText(lower))}) folds differently in "
                        + "reading order but sums equal: the same rows."
                );
        }

        for (var attempt = 0; s != t && pass.Settle != null && attempt < pass.Rechecks; attempt++)
        {
            // Live: the range may differ only because its changes wait in the changelog. Replay them, then compare
            // again: the ordered fold first (cheap), the order-free sums only when the counts agree and the folds do not.
            await pass.Settle(cancellationToken).ConfigureAwait(false);
            (s, t) = await Both(ordered: true).ConfigureAwait(false);
            if (s != t && s.Rows == t.Rows)
                (s, t) = await Both(ordered: false).ConfigureAwait(false);
            observer.Debug(
                $"{layout.Table}: the range after ({(lower is null ? "start" : KeyText(lower))}) differed while live; "
                    + $"replayed its changes and compared again ({attempt + 1}/{pass.Rechecks}): {(s == t ? "equal" : "still different")}."
            );
        }

        var rows = new List<RowDifference>();
        if (s != t && named < pass.MaxDifferences && !pass.Narrows(s, t))
        {
            rows.AddRange(
                (await DrillDownAsync(source, target, layout, jsonOnServer, lower, upper, cancellationToken).ConfigureAwait(false)).Take(
                    pass.MaxDifferences - named
                )
            );
        }

        return new ComparedRange(upper, s, t, rows);
    }

    /// <summary>A range compared: its upper bound (null: the table's end), both digests, the rows named.</summary>
    private sealed record ComparedRange(List<KeyValue>? Upper, ChunkDigest Source, ChunkDigest Target, List<RowDifference> Rows);

    private static async Task<TableVerification> SampleAsync(
        ReadPair pair,
        TableLayout layout,
        bool jsonOnServer,
        RangePass pass,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var activity = pass.Activity;
        var watch = Stopwatch.StartNew();
        var tell = ReadPair.Telling(observer, pass.Activity, pass.ActivityName, layout.Table);
        var (sourceRows, targetRows) = await pair.ReconnectingAsync(
                async () =>
                    (
                        await CountAsync(pair.Source, layout, cancellationToken).ConfigureAwait(false),
                        await CountAsync(pair.Target, layout, cancellationToken).ConfigureAwait(false)
                    ),
                $"{layout.Table}: counting its rows",
                tell,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (sourceRows != targetRows)
        {
            // Counts alone name no row; find the rows with the full comparison.
            observer.Verbose(
                $"{layout.Table}: {sourceRows} source row(s) but {targetRows} target row(s); comparing every range to name the rows."
            );
            var full = await FullAsync(pair, layout, jsonOnServer, pass, observer, cancellationToken).ConfigureAwait(false);
            return new TableVerification(
                layout.Table,
                nameof(VerificationMode.Sample),
                sourceRows,
                targetRows,
                full.Chunks,
                full.MismatchedChunks,
                full.Differences,
                watch.Elapsed.TotalSeconds
            );
        }

        var (keys, differences) = await pair.ReconnectingAsync(
                () => SampledAsync(pair.Source, pair.Target, layout, jsonOnServer, cancellationToken),
                $"{layout.Table}: comparing 8 random rows",
                tell,
                cancellationToken
            )
            .ConfigureAwait(false);

        observer.Progress(
            new ProgressUpdate
            {
                ActivityId = activity,
                Activity = pass.ActivityName,
                Table = layout.Table,
                RowsDone = sourceRows,
                RowsTotal = sourceRows,
                Completed = true,
            }
        );
        return new TableVerification(
            layout.Table,
            nameof(VerificationMode.Sample),
            sourceRows,
            targetRows,
            keys.Count,
            differences.Count,
            differences,
            watch.Elapsed.TotalSeconds
        );
    }

    /// <summary>Up to 8 random keys of the source, and those of them whose rows differ on the target.</summary>
    private static async Task<(List<List<KeyValue>> Keys, List<RowDifference> Differences)> SampledAsync(
        MySqlConnection source,
        MySqlConnection target,
        TableLayout layout,
        bool jsonOnServer,
        CancellationToken cancellationToken
    )
    {
        var keys = new List<List<KeyValue>>();
        using (var command = new MySqlCommand($"SELECT {layout.KeySelect} FROM {layout.Quoted} ORDER BY RAND() LIMIT 8", source))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                keys.Add(ReadKey(reader, layout));
        }

        var differences = new List<RowDifference>();
        foreach (var key in keys)
        {
            var s = await RowAsync(source, layout, jsonOnServer, key, cancellationToken).ConfigureAwait(false);
            var t = await RowAsync(target, layout, jsonOnServer, key, cancellationToken).ConfigureAwait(false);
            if (t is null)
                differences.Add(new RowDifference(layout.Table, KeyText(key), RowDifferenceKind.MissingInTarget));
            else if (s != t)
                differences.Add(new RowDifference(layout.Table, KeyText(key), RowDifferenceKind.Different));
        }

        return (keys, differences);
    }

    /// <summary>The rows that differ in one key range: both sides' rows in key order, merged.</summary>
    public static async Task<List<RowDifference>> DrillDownAsync(
        MySqlConnection source,
        MySqlConnection target,
        TableLayout layout,
        bool jsonOnServer,
        IReadOnlyList<KeyValue>? lower,
        IReadOnlyList<KeyValue>? upper,
        CancellationToken cancellationToken
    )
    {
        var s = await RowHashesAsync(source, layout, jsonOnServer, lower, upper, cancellationToken).ConfigureAwait(false);
        var t = await RowHashesAsync(target, layout, jsonOnServer, lower, upper, cancellationToken).ConfigureAwait(false);
        return Differences(layout, s, t).ToList();
    }

    private static IEnumerable<RowDifference> Differences(
        TableLayout layout,
        Dictionary<string, string> source,
        Dictionary<string, string> target
    )
    {
        foreach (var pair in source)
        {
            if (!target.TryGetValue(pair.Key, out var hash))
                yield return new RowDifference(layout.Table, pair.Key, RowDifferenceKind.MissingInTarget);
            else if (hash != pair.Value)
                yield return new RowDifference(layout.Table, pair.Key, RowDifferenceKind.Different);
        }

        foreach (var key in target.Keys.Where(k => !source.ContainsKey(k)))
            yield return new RowDifference(layout.Table, key, RowDifferenceKind.ExtraInTarget);
    }

    private static async Task<Dictionary<string, string>> RowHashesByKeyAsync(
        MySqlConnection connection,
        TableLayout layout,
        bool jsonOnServer,
        IReadOnlyList<IReadOnlyList<KeyValue>> keys,
        CancellationToken cancellationToken
    )
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = new MySqlCommand(RowHashSql.RowsOfKeys(layout, jsonOnServer, keys.Count), connection);
        layout.BindKeys(command, keys);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows[KeyText(ReadKey(reader, layout))] = RowText(reader, layout, jsonOnServer);
        return rows;
    }

    /// <summary>Waits as <paramref name="pace"/> says before the next read of the source, with the reason on the table's progress line.</summary>
    private static Task PaceAsync(
        Func<MySqlConnection, long, Action<string>, CancellationToken, Task>? pace,
        MySqlConnection source,
        long rows,
        IRunObserver observer,
        int activity,
        string activityName,
        string table,
        CancellationToken cancellationToken
    ) =>
        pace is null
            ? Task.CompletedTask
            : pace(
                source,
                rows,
                note =>
                    observer.Progress(
                        new ProgressUpdate
                        {
                            ActivityId = activity,
                            Activity = activityName,
                            Table = table,
                            Note = note,
                        }
                    ),
                cancellationToken
            );

    /// <summary>One key range digested on both servers at once.</summary>
    private static async Task<(ChunkDigest Source, ChunkDigest Target)> BothAsync(
        MySqlConnection source,
        MySqlConnection target,
        TableLayout layout,
        bool jsonOnServer,
        IReadOnlyList<KeyValue>? lower,
        IReadOnlyList<KeyValue>? upper,
        bool ordered,
        CancellationToken cancellationToken
    )
    {
        var s = DigestAsync(source, layout, jsonOnServer, lower, upper, ordered, cancellationToken);
        var t = DigestAsync(target, layout, jsonOnServer, lower, upper, ordered, cancellationToken);
        return (await s.ConfigureAwait(false), await t.ConfigureAwait(false));
    }

    /// <summary>
    /// The digest of one key range (lower exclusive, upper inclusive; null = open): the row hashes summed,
    /// or, when <paramref name="ordered"/>, folded in reading order (see <see cref="RowHashSql"/>). An
    /// ordered fold the server could not hold whole comes back unique (<see cref="Unfolded"/>): it equals no other digest.
    /// </summary>
    internal static async Task<ChunkDigest> DigestAsync(
        MySqlConnection connection,
        TableLayout layout,
        bool jsonOnServer,
        IReadOnlyList<KeyValue>? lower,
        IReadOnlyList<KeyValue>? upper,
        bool ordered,
        CancellationToken cancellationToken
    )
    {
        long rows;
        decimal a = 0;
        string? fold = null;
        var sql = ordered
            ? RowHashSql.OrderedDigest(layout, jsonOnServer, lower != null, upper != null)
            : RowHashSql.Digest(layout, jsonOnServer, lower != null, upper != null);
        using (var command = new MySqlCommand(sql, connection))
        {
            TableLayout.Bind(command, "@l", lower);
            TableLayout.Bind(command, "@h", upper);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            rows = reader.GetInt64(0);
            if (!ordered)
                a = Convert.ToDecimal(reader.GetValue(1), CultureInfo.InvariantCulture);
            else if (
                rows > 0
                && (decimal)rows * RowHashSql.RowHashHexDigits <= Convert.ToDecimal(reader.GetValue(2), CultureInfo.InvariantCulture)
                && !reader.IsDBNull(1)
            )
                fold = reader.GetString(1);
            else
                fold = rows == 0 ? string.Empty : null;
        }

        ulong jsonA = 0,
            jsonB = 0;
        if (!jsonOnServer && layout.JsonColumns.Count > 0)
        {
            using var command = new MySqlCommand(RowHashSql.JsonRows(layout, lower != null, upper != null), connection);
            TableLayout.Bind(command, "@l", lower);
            TableLayout.Bind(command, "@h", upper);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var (ja, jb) = JsonHash(KeyText(ReadKey(reader, layout)), reader, layout.Key.Count, layout.JsonColumns.Count);
                unchecked
                {
                    jsonA += ja;
                    jsonB += jb;
                }
            }
        }

        return new ChunkDigest(rows, a, jsonA, jsonB, ordered ? fold ?? Unfolded() : null);
    }

    /// <summary>Stands for a fold that could not be made (a range larger than group_concat_max_len): never equal, so the range is
    /// settled by its sums.</summary>
    private static string Unfolded() => "unfolded " + Guid.NewGuid().ToString("N");

    private static async Task<Dictionary<string, string>> RowHashesAsync(
        MySqlConnection connection,
        TableLayout layout,
        bool jsonOnServer,
        IReadOnlyList<KeyValue>? lower,
        IReadOnlyList<KeyValue>? upper,
        CancellationToken cancellationToken
    )
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = new MySqlCommand(RowHashSql.Rows(layout, jsonOnServer, lower != null, upper != null), connection);
        TableLayout.Bind(command, "@l", lower);
        TableLayout.Bind(command, "@h", upper);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows[KeyText(ReadKey(reader, layout))] = RowText(reader, layout, jsonOnServer);
        return rows;
    }

    private static async Task<string?> RowAsync(
        MySqlConnection connection,
        TableLayout layout,
        bool jsonOnServer,
        IReadOnlyList<KeyValue> key,
        CancellationToken cancellationToken
    )
    {
        using var command = new MySqlCommand(RowHashSql.Row(layout, jsonOnServer), connection);
        TableLayout.Bind(command, "@k", key);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? RowText(reader, layout, jsonOnServer) : null;
    }

    private static async Task<long> CountAsync(MySqlConnection connection, TableLayout layout, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand($"SELECT COUNT(*) FROM {layout.Quoted}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static string RowText(MySqlDataReader reader, TableLayout layout, bool jsonOnServer)
    {
        var hash = reader.GetString(layout.Key.Count);
        if (jsonOnServer || layout.JsonColumns.Count == 0)
            return hash;
        var (a, b) = JsonHash(string.Empty, reader, layout.Key.Count + 1, layout.JsonColumns.Count);
        return hash + ":" + a.ToString("x16", CultureInfo.InvariantCulture) + b.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static (ulong A, ulong B) JsonHash(string key, MySqlDataReader reader, int first, int count)
    {
        var text = new StringBuilder(key).Append('|');
        for (var i = first; i < first + count; i++)
        {
            if (reader.IsDBNull(i))
            {
                text.Append('-');
                continue;
            }

            var canonical = JsonCanonical.Canonicalize(reader.GetString(i));
            text.Append(canonical.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(canonical);
        }

        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
        return (BitConverter.ToUInt64(digest, 0), BitConverter.ToUInt64(digest, 8));
    }

    private static List<KeyValue> ReadKey(MySqlDataReader reader, TableLayout layout)
    {
        var key = new List<KeyValue>(layout.Key.Count);
        for (var i = 0; i < layout.Key.Count; i++)
            key.Add(KeyValue.From(reader.GetValue(i)));
        return key;
    }

    /// <summary>A key for messages and row differences: values comma-separated, binary as 0x hex.</summary>
    public static string KeyText(IReadOnlyList<KeyValue> key) => string.Join(", ", key.Select(k => k.ToString()));

    /// <summary>One table's verification pass: range size, progress activity, how many rows to name, and the live re-checks.</summary>
    private sealed record RangePass(int ChunkRows, int Activity, string ActivityName)
    {
        public int MaxDifferences { get; init; } = MaxDifferencesPerTable;

        public Func<CancellationToken, Task>? Settle { get; init; }

        /// <summary>Live: the run's throttle, which each range read from the source waits for (null: none).</summary>
        public Func<MySqlConnection, long, Action<string>, CancellationToken, Task>? Pace { get; init; }

        public int Rechecks { get; init; }

        /// <summary>Live: the rows of the smaller ranges a range still different after its re-checks is cut into (0: not cut).</summary>
        public int NarrowRows { get; init; }

        /// <summary>Whether a range still different with these digests is cut into smaller ranges (its rows are named there).</summary>
        public bool Narrows(ChunkDigest source, ChunkDigest target) =>
            Settle != null && NarrowRows > 0 && Math.Max(source.Rows, target.Rows) > NarrowRows;
    }
}
