using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Online;

/// <summary>What one replay of one table did.</summary>
public readonly record struct ReplayResult(long Entries, long Keys, long Deleted, long Loaded)
{
    /// <summary>The sum of two results.</summary>
    public static ReplayResult operator +(ReplayResult a, ReplayResult b) =>
        new(a.Entries + b.Entries, a.Keys + b.Keys, a.Deleted + b.Deleted, a.Loaded + b.Loaded);
}

/// <summary>What the changelogs hold that no replay has consumed yet.</summary>
public readonly record struct ReplayBacklog(long Entries, double SecondsBehind);

/// <summary>
/// Replays the changelogs onto the target. A replay of a table takes the entries no round has
/// consumed (never "everything above a high-water mark": an entry's sequence is drawn when its
/// transaction writes and it becomes visible when it commits, so a lower one can appear later), and for
/// their distinct keys, in batches: deletes those rows on the target, re-reads them from the source as
/// they are now and loads what exists (bytes, as the copy does) in one target transaction; then marks
/// the entries with the round's number. A change that commits meanwhile has an entry of its own that
/// the next round takes, so every key converges; a replay killed half way only repeats work.
/// </summary>
/// <remarks>
/// The target session has foreign-key checks off (so no cascade fires there: the source's cascades
/// arrive as the children's own logged keys) and unique checks on, with REPLACE: a row still holding a
/// unique value on the target that the source has since given to another row is replaced, and its own
/// changed state is waiting in the changelog. One table is replayed by one caller at a time.
/// </remarks>
public sealed class ChangeReplayer
{
    /// <summary>Keys per target transaction.</summary>
    public const int BatchKeys = 500;

    private readonly ConnectionTarget _source;
    private readonly ConnectionTarget _target;
    private readonly IReadOnlyDictionary<string, TableLayout> _layouts;
    private readonly CapturePlan _plan;
    private readonly Func<long> _nextRound;
    private readonly IRunObserver _observer;
    private readonly Dictionary<string, SemaphoreSlim> _locks;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LoadPlan> _loadPlans = new(StringComparer.Ordinal);

    /// <summary>Creates a replayer; <paramref name="nextRound"/> hands out increasing round numbers (and records them).</summary>
    public ChangeReplayer(
        ConnectionTarget source,
        ConnectionTarget target,
        IReadOnlyList<TableLayout> layouts,
        CapturePlan plan,
        Func<long> nextRound,
        IRunObserver observer
    )
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _layouts = (layouts ?? throw new ArgumentNullException(nameof(layouts))).ToDictionary(l => l.Table, StringComparer.Ordinal);
        _plan = plan ?? throw new ArgumentNullException(nameof(plan));
        _nextRound = nextRound ?? throw new ArgumentNullException(nameof(nextRound));
        _observer = observer ?? NullRunObserver.Instance;
        _locks = _layouts.Keys.ToDictionary(t => t, _ => new SemaphoreSlim(1, 1), StringComparer.Ordinal);
    }

    /// <summary>The tables, in list order.</summary>
    public IEnumerable<string> Tables => _plan.Tables.Select(t => t.Table);

    /// <summary>Replays every table once (up to <paramref name="maxEntries"/> entries each), <paramref name="parallelism"/> tables at a time.</summary>
    public Task<ReplayResult> ReplayAllAsync(int maxEntries, int parallelism, CancellationToken cancellationToken) =>
        EachTableAsync(parallelism, (table, token) => ReplayAsync(table, maxEntries, token), cancellationToken);

    /// <summary>
    /// Replays every table until it is empty, <paramref name="parallelism"/> tables at a time: under the gate, where nothing
    /// new arrives, a replay that took fewer entries than it could has emptied its table, so no round is spent looking again
    /// (an entry that came all the same is among the rows final_sync verifies by key: it reads the waiting ones too).
    /// </summary>
    public Task<ReplayResult> DrainAsync(int parallelism, CancellationToken cancellationToken) =>
        EachTableAsync(
            parallelism,
            async (table, token) =>
            {
                const int MaxEntries = 100_000;
                var total = new ReplayResult();
                ReplayResult result;
                do
                {
                    result = await ReplayAsync(table, MaxEntries, token).ConfigureAwait(false);
                    total += result;
                } while (result.Entries == MaxEntries);
                return total;
            },
            cancellationToken
        );

    private async Task<ReplayResult> EachTableAsync(
        int parallelism,
        Func<string, CancellationToken, Task<ReplayResult>> replay,
        CancellationToken cancellationToken
    )
    {
        var total = new ReplayResult();
        var gate = new object();
        await TableWorkers
            .RunAsync(
                _plan.Tables.Select(t => t.Table).ToList(),
                Enumerable.Range(0, _plan.Tables.Count).ToList(),
                parallelism,
                async (table, _, token) =>
                {
                    var result = await replay(table, token).ConfigureAwait(false);
                    lock (gate)
                        total += result;
                    return true;
                },
                cancellationToken
            )
            .ConfigureAwait(false);
        return total;
    }

    /// <summary>Replays what one table's changelog holds now (up to <paramref name="maxEntries"/> entries).</summary>
    public async Task<ReplayResult> ReplayAsync(string table, int maxEntries, CancellationToken cancellationToken)
    {
        var layout = _layouts[table];
        var capture = _plan.Of(table);
        var gate = _locks[table];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var reader = await TableSession.OpenReadAsync(_source, cancellationToken).ConfigureAwait(false);
            var (sequences, keys) = await PendingAsync(reader, layout, capture, maxEntries, cancellationToken).ConfigureAwait(false);
            if (sequences.Count == 0)
                return default;
            var round = _nextRound();
            long deleted = 0,
                loaded = 0;
            using (
                var writer = await TableSession
                    .OpenWriteAsync(_target, TableSession.DefaultLockWaitSeconds, uniqueChecks: true, cancellationToken)
                    .ConfigureAwait(false)
            )
            {
                if (!_loadPlans.TryGetValue(table, out var loadPlan))
                {
                    loadPlan = await LoadPlan.ReadAsync(writer, layout, cancellationToken).ConfigureAwait(false);
                    _loadPlans[table] = loadPlan;
                }

                for (var i = 0; i < keys.Count; i += BatchKeys)
                {
                    var batch = keys.GetRange(i, Math.Min(BatchKeys, keys.Count - i));
                    var (d, l) = await Transient
                        .RetryAsync(
                            () => ApplyAsync(reader, writer, layout, loadPlan, batch, cancellationToken),
                            $"replaying {table} onto {_target.Endpoint}",
                            _observer,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    deleted += d;
                    loaded += l;
                }
            }

            await MarkAsync(reader, capture, sequences, round, cancellationToken).ConfigureAwait(false);
            _observer.Debug(
                $"{table}: replay round {round}: {sequences.Count} changelog entr(ies), {keys.Count} key(s), {deleted} target "
                    + $"row(s) replaced or removed, {loaded} loaded."
            );
            return new ReplayResult(sequences.Count, keys.Count, deleted, loaded);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Runs <paramref name="action"/> while no replay writes <paramref name="table"/> on the target.</summary>
    public async Task HoldingAsync(string table, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        if (action is null)
            throw new ArgumentNullException(nameof(action));
        var gate = _locks[table];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await action(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>How many entries wait in every changelog, and how old the oldest is.</summary>
    public async Task<ReplayBacklog> BacklogAsync(CancellationToken cancellationToken)
    {
        using var connection = await TableSession.OpenReadAsync(_source, cancellationToken).ConfigureAwait(false);
        long entries = 0;
        double behind = 0;
        foreach (var capture in _plan.Tables)
        {
            using var command = new MySqlCommand(
                "SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(MICROSECOND, MIN(`_mm_at`), NOW(6)), 0) FROM "
                    + $"{SqlIdentifier.Quote(capture.Changelog)} WHERE `_mm_round` = 0",
                connection
            );
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            entries += reader.GetInt64(0);
            behind = Math.Max(behind, Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture) / 1_000_000d);
        }

        return new ReplayBacklog(entries, Math.Round(behind, 3));
    }

    /// <summary>The highest round recorded in any changelog (a resumed run numbers on from there).</summary>
    public static async Task<long> LastRoundAsync(ConnectionTarget source, CapturePlan plan, CancellationToken cancellationToken)
    {
        if (plan is null)
            throw new ArgumentNullException(nameof(plan));
        using var connection = await TableSession.OpenReadAsync(source, cancellationToken).ConfigureAwait(false);
        long last = 0;
        foreach (var capture in plan.Tables)
        {
            using var command = new MySqlCommand(
                $"SELECT COALESCE(MAX(`_mm_round`), 0) FROM {SqlIdentifier.Quote(capture.Changelog)}",
                connection
            );
            last = Math.Max(
                last,
                Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture)
            );
        }

        return last;
    }

    /// <summary>The distinct keys of a table changed since round <paramref name="afterRound"/> began (consumed by a later round, or still waiting).</summary>
    public async Task<List<IReadOnlyList<KeyValue>>> ChangedSinceAsync(string table, long afterRound, CancellationToken cancellationToken)
    {
        var layout = _layouts[table];
        var capture = _plan.Of(table);
        using var connection = await TableSession.OpenReadAsync(_source, cancellationToken).ConfigureAwait(false);
        using var command = new MySqlCommand(
            $"SELECT DISTINCT {layout.KeySelect} FROM {SqlIdentifier.Quote(capture.Changelog)} WHERE `_mm_round` > @r OR `_mm_round` = 0",
            connection
        );
        command.Parameters.AddWithValue("@r", afterRound);
        var keys = new List<IReadOnlyList<KeyValue>>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            keys.Add(ReadKey(reader, layout, 0));
        return keys;
    }

    /// <summary>
    /// Deletes the entries of rounds 1 to <paramref name="throughRound"/>: a verification of every row that completed began
    /// after them (the state file records it), so no check reads them again. A thousand at a time by sequence, each batch
    /// after <paramref name="pace"/> (the throttle): only the rows named are locked, never a gap, so the shop's triggers never
    /// wait for it. Round numbers go on from the state file's last round, not the changelog's highest.
    /// </summary>
    /// <returns>How many entries were deleted.</returns>
    public async Task<long> ForgetAsync(long throughRound, Func<int, CancellationToken, Task> pace, CancellationToken cancellationToken)
    {
        if (pace is null)
            throw new ArgumentNullException(nameof(pace));
        long forgotten = 0;
        using var connection = await TableSession.OpenReadAsync(_source, cancellationToken).ConfigureAwait(false);
        foreach (var capture in _plan.Tables)
        {
            var gate = _locks[capture.Table];
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // On from the last entry deleted, never from the range's start again: entries deleted but not yet purged
                // by InnoDB (a long read holds purge back) would be stepped over again by every batch.
                (ulong Round, ulong Sequence) after = (1, 0);
                while (true)
                {
                    var sequences = new List<ulong>();
                    using (
                        var select = new MySqlCommand(
                            $"SELECT `_mm_round`, `_mm_seq` FROM {SqlIdentifier.Quote(capture.Changelog)} WHERE (`_mm_round` = @lr AND `_mm_seq` > @ls) "
                                + "OR (`_mm_round` > @lr AND `_mm_round` <= @r) ORDER BY `_mm_round`, `_mm_seq` LIMIT 1000",
                            connection
                        )
                    )
                    {
                        select.Parameters.AddWithValue("@lr", after.Round);
                        select.Parameters.AddWithValue("@ls", after.Sequence);
                        select.Parameters.AddWithValue("@r", throughRound);
                        using var rows = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            after = (
                                Convert.ToUInt64(rows.GetValue(0), CultureInfo.InvariantCulture),
                                Convert.ToUInt64(rows.GetValue(1), CultureInfo.InvariantCulture)
                            );
                            sequences.Add(after.Sequence);
                        }
                    }

                    if (sequences.Count == 0)
                        break;
                    await pace(sequences.Count, cancellationToken).ConfigureAwait(false);
                    using var delete = new MySqlCommand(
                        $"DELETE FROM {SqlIdentifier.Quote(capture.Changelog)} WHERE `_mm_seq` IN {Sequences(sequences)}",
                        connection
                    );
                    forgotten += await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    if (sequences.Count < 1000)
                        break;
                }
            }
            finally
            {
                gate.Release();
            }
        }

        return forgotten;
    }

    private static async Task<(List<ulong> Sequences, List<IReadOnlyList<KeyValue>> Keys)> PendingAsync(
        MySqlConnection reader,
        TableLayout layout,
        CaptureTable capture,
        int maxEntries,
        CancellationToken cancellationToken
    )
    {
        var sequences = new List<ulong>();
        var keys = new List<IReadOnlyList<KeyValue>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var command = new MySqlCommand(
            $"SELECT `_mm_seq`, {layout.KeySelect} FROM {SqlIdentifier.Quote(capture.Changelog)} WHERE `_mm_round` = 0 ORDER BY "
                + $"`_mm_seq` LIMIT {maxEntries.ToString(CultureInfo.InvariantCulture)}",
            reader
        );
        using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sequences.Add(Convert.ToUInt64(rows.GetValue(0), CultureInfo.InvariantCulture));
            var key = ReadKey(rows, layout, 1);
            if (seen.Add(string.Join("\u0001", key.Select(k => k.Kind + ":" + k.Value))))
                keys.Add(key);
        }

        return (sequences, keys);
    }

    private static async Task<(long Deleted, long Loaded)> ApplyAsync(
        MySqlConnection reader,
        MySqlConnection writer,
        TableLayout layout,
        LoadPlan plan,
        IReadOnlyList<IReadOnlyList<KeyValue>> keys,
        CancellationToken cancellationToken
    )
    {
        using var transaction = await writer.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long deleted;
        using (var delete = new MySqlCommand($"DELETE FROM {layout.Quoted} WHERE {layout.KeyIn(keys.Count)}", writer, transaction))
        {
            layout.BindKeys(delete, keys);
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long sent,
            stored;
        using (
            var select = new MySqlCommand(
                $"SELECT {string.Join(", ", layout.Columns.Select(c => c.TransportExpression))} FROM {layout.Quoted} WHERE {layout.KeyIn(keys.Count)}",
                reader
            )
        )
        {
            layout.BindKeys(select, keys);
            using var rows = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            using var stream = new LoadDataStream(rows, layout.Columns.Count);
            var loader = plan.Loader(writer, layout, stream, replace: true);
            stored = await loader.LoadAsync(cancellationToken).ConfigureAwait(false);
            sent = stream.Rows;
        }

        var warnings = new List<string>();
        using (var show = new MySqlCommand("SHOW WARNINGS LIMIT 5", writer, transaction))
        using (var w = await show.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await w.ReadAsync(cancellationToken).ConfigureAwait(false))
                warnings.Add($"{w.GetString(0)} {w.GetValue(1)}: {w.GetString(2)}");
        }

        if (warnings.Count > 0 || stored < sent)
        {
            throw new MigrationException(
                ErrorIds.ReplayFailed,
                MigrationErrorKind.Unspecified,
                layout.Table,
                $"Replaying {sent} changed row(s) of {layout.Table} onto the target stored {stored}"
                    + (warnings.Count > 0 ? ": " + string.Join("; ", warnings) : string.Empty)
                    + ".",
                "check the target's free disk space and that both ends have the same schema (Test-SchemaParity), then rerun: the replay repeats these rows."
            );
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (deleted, sent);
    }

    private static async Task MarkAsync(
        MySqlConnection reader,
        CaptureTable capture,
        List<ulong> sequences,
        long round,
        CancellationToken cancellationToken
    )
    {
        for (var i = 0; i < sequences.Count; i += 1000)
        {
            var part = sequences.GetRange(i, Math.Min(1000, sequences.Count - i));
            using var command = new MySqlCommand(
                $"UPDATE {SqlIdentifier.Quote(capture.Changelog)} SET `_mm_round` = "
                    + $"{round.ToString(CultureInfo.InvariantCulture)} WHERE `_mm_seq` IN {Sequences(part)}",
                reader
            );
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Sequences(IEnumerable<ulong> sequences) =>
        "(" + string.Join(",", sequences.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";

    private static List<KeyValue> ReadKey(MySqlDataReader reader, TableLayout layout, int first)
    {
        var key = new List<KeyValue>(layout.Key.Count);
        for (var i = 0; i < layout.Key.Count; i++)
            key.Add(KeyValue.From(reader.GetValue(first + i)));
        return key;
    }
}
