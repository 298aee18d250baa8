using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Copies one table in primary-key chunks: each chunk is read from the source as bytes and streamed
/// into the target's LOAD DATA LOCAL (<see cref="LoadDataStream"/>, <see cref="LoadPlan"/>) in one
/// transaction, then checkpointed. A resumed copy first proves the partial target copy is ours (up to
/// the checkpoint: the recorded row count and the source's digest; otherwise the table is emptied and
/// copied again), then removes target rows past the last checkpoint (a chunk that committed but was
/// not recorded), so no row is lost or duplicated.
/// </summary>
/// <remarks>
/// The chunks stream on a thread of their own through two sessions that only ever do blocking I/O
/// (<see cref="TableSession.OpenStreamingRead"/>): a socket once used asynchronously stays non-blocking,
/// and every read that has to wait then goes through the runtime's event loop and a thread-pool
/// worker, whose spinning cost the copy about a CPU-second on two cores (measured: the process's
/// system time halved). Cancellation stops the statement in flight.
/// </remarks>
public static class TableCopier
{
    /// <summary>Copies what is left of <paramref name="layout"/>'s table, saving <paramref name="progress"/> through
    /// <paramref name="checkpoint"/> after every chunk.</summary>
    /// <remarks>
    /// <see cref="CopySettings.Live"/>: the source takes writes while it is read. Chunks load with REPLACE
    /// under unique checks (rows read at different moments may collide on a unique key until the replay
    /// converges), and a resume trusts the rows up to the checkpoint without the proof that they equal the
    /// source's (they need not: their changes are in the changelog).
    /// </remarks>
    public static async Task CopyAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        TableLayout layout,
        TableCopyState progress,
        CopySettings settings,
        int activity,
        Action checkpoint,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (settings is null)
            throw new ArgumentNullException(nameof(settings));
        var (chunkRows, live) = (settings.ChunkRows, settings.Live);
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        if (target is null)
            throw new ArgumentNullException(nameof(target));
        if (layout is null)
            throw new ArgumentNullException(nameof(layout));
        if (progress is null)
            throw new ArgumentNullException(nameof(progress));
        if (checkpoint is null)
            throw new ArgumentNullException(nameof(checkpoint));
        if (progress.Complete)
            return;
        LoadPlan plan;
        KeyRanges ranges;
        using (var reader = await TableSession.OpenReadAsync(source, cancellationToken).ConfigureAwait(false))
        using (var writer = await TableSession.OpenWriteAsync(target, cancellationToken).ConfigureAwait(false))
        {
            if (
                progress.LastKey != null
                && !live
                && !await CopiedPartIsOursAsync(reader, writer, layout, progress, cancellationToken).ConfigureAwait(false)
            )
            {
                observer.Warning(
                    $"{layout.Table}: the {progress.RowsCopied} row(s) on {target.Endpoint} up to the last checkpoint are not exactly the ones this run copied "
                        + "(the target table, or those source rows, changed since the interruption); emptying it and copying it again from the start."
                );
                await ExecuteWriteAsync(writer, layout, target, "TRUNCATE TABLE " + layout.Quoted, null, cancellationToken)
                    .ConfigureAwait(false);
                progress.LastKey = null;
                progress.RowsCopied = 0;
                progress.ChunksCopied = 0;
                checkpoint();
            }

            plan = await LoadPlan.ReadAsync(writer, layout, cancellationToken).ConfigureAwait(false);
            ranges = await KeyRanges
                .ForAsync(
                    reader,
                    layout,
                    chunkRows ?? ChunkSizer.FirstRows,
                    progress.RowsPlanned > 0 ? progress.RowsPlanned : null,
                    cancellationToken
                )
                .ConfigureAwait(false);
            var removed = await RemoveUnrecordedRowsAsync(writer, layout, progress.LastKey, target, cancellationToken)
                .ConfigureAwait(false);
            if (removed > 0)
                observer.Verbose(
                    $"{layout.Table}: removed {removed} target row(s) past the last checkpoint (a chunk committed but not recorded before the interruption)."
                );
        }

        var chunks = new ChunkLoop(
            source,
            target,
            layout,
            plan,
            ranges,
            progress,
            activity,
            checkpoint,
            observer,
            settings,
            cancellationToken
        );
        await Task
            .Factory.StartNew(
                () => chunks.Run(new ChunkSizer(chunkRows ?? chunks.Throttle.MaxChunkRows, settings.MaxChunkRows)),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default
            )
            .ConfigureAwait(false);
    }

    /// <summary>The chunks of one table, copied on the calling thread with blocking I/O only.</summary>
    private sealed class ChunkLoop
    {
        private readonly ConnectionTarget _source;
        private readonly ConnectionTarget _target;
        private readonly TableLayout _layout;
        private readonly LoadPlan _plan;
        private readonly KeyRanges _ranges;
        private readonly TableCopyState _progress;
        private readonly int _activity;
        private readonly Action _checkpoint;
        private readonly IRunObserver _observer;
        private readonly CancellationToken _cancellationToken;
        private readonly string _select;
        private readonly bool _live;
        private readonly string _activityName;
        private readonly int _statementSeconds;
        private readonly int _lockWaitSeconds;
        private readonly Galera.FlowControlGate? _flowControl;
        private MySqlConnection? _reader;
        private MySqlConnection? _writer;

        public ChunkLoop(
            ConnectionTarget source,
            ConnectionTarget target,
            TableLayout layout,
            LoadPlan plan,
            KeyRanges ranges,
            TableCopyState progress,
            int activity,
            Action checkpoint,
            IRunObserver observer,
            CopySettings settings,
            CancellationToken cancellationToken
        )
        {
            (_source, _target, _layout, _plan, _ranges, _progress, _activity, _checkpoint, _observer, _cancellationToken) = (
                source,
                target,
                layout,
                plan,
                ranges,
                progress,
                activity,
                checkpoint,
                observer,
                cancellationToken
            );
            (Throttle, _live, _activityName, _statementSeconds, _lockWaitSeconds) = (
                settings.Throttle,
                settings.Live,
                settings.Activity,
                settings.StatementSeconds,
                settings.LockWaitSeconds
            );
            _flowControl = settings.FlowControl;
            _select = $"SELECT {string.Join(", ", layout.Columns.Select(c => c.TransportExpression))} FROM {layout.Quoted}";
        }

        public CopyThrottle Throttle { get; }

        public void Run(ChunkSizer sizer)
        {
            try
            {
                Open();
                Chunks(sizer);
            }
            finally
            {
                Close();
            }
        }

        private void Open()
        {
            _reader = TableSession.OpenStreamingRead(_source, _cancellationToken);
            _writer = TableSession.OpenStreamingWrite(_target, _lockWaitSeconds, uniqueChecks: _live, _cancellationToken);
        }

        private void Close()
        {
            _reader?.Dispose();
            _writer?.Dispose();
            (_reader, _writer) = (null, null);
        }

        /// <summary>
        /// Fresh sessions after an interrupted link, and the target rows after the last recorded chunk removed:
        /// the interrupted chunk's COMMIT may have been cut off after the server applied it, and the chunk is copied again.
        /// </summary>
        private void Reopen(bool undoChunk)
        {
            Close();
            Open();
            if (!undoChunk)
                return;
            using var command = new MySqlCommand(
                $"DELETE FROM {_layout.Quoted} WHERE {_layout.RangePredicate(_progress.LastKey != null, false)}",
                _writer
            );
            TableLayout.Bind(command, "@l", _progress.LastKey);
            command.CommandTimeout = _statementSeconds;
            var removed = command.ExecuteNonQuery();
            if (removed > 0)
                _observer.Verbose(
                    $"{_layout.Table}: removed {removed} target row(s) after the last recorded chunk (the interrupted chunk had committed)."
                );
        }

        /// <summary>
        /// Runs reading and loading statements; after an interrupted link, again on fresh sessions (for a chunk,
        /// <paramref name="undoChunk"/>: with the target rows after the last recorded chunk removed first).
        /// </summary>
        private T Reconnected<T>(Func<MySqlConnection, MySqlConnection, T> statements, string what, bool undoChunk) =>
            Reconnecting.Run(
                () => statements(_reader!, _writer!),
                () => Reopen(undoChunk),
                what,
                Reconnecting.Telling(_observer, Update()),
                _cancellationToken
            );

        /// <summary>This table's progress line as the state has it now.</summary>
        private ProgressUpdate Update() =>
            new()
            {
                ActivityId = _activity,
                Activity = _activityName,
                Table = _layout.Table,
                RowsDone = _progress.RowsCopied,
                RowsTotal = Math.Max(_progress.RowsPlanned, _progress.RowsCopied),
            };

        private void Chunks(ChunkSizer sizer)
        {
            var progress = _progress;
            var watch = Stopwatch.StartNew();
            var startRows = progress.RowsCopied;
            // Why the next chunk waits (the throttle, or a Galera target's flow control), on the table's progress line.
            void Waiting(string note) => _observer.Progress(Update() with { Note = note });
            while (true)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                Throttle.Wait(_reader!, sizer.Rows, Waiting, _cancellationToken);
                _flowControl?.Wait(Waiting, _cancellationToken);
                var chunkWatch = Stopwatch.StartNew();
                var lower = progress.LastKey;
                var what = $"{_layout.Table}: the chunk after key ({(lower is null ? "start" : Verify.DataVerifier.KeyText(lower))})";
                List<KeyValue>? upper = null;
                var rows = Stopping(() =>
                    Reconnected(
                        (reader, writer) =>
                        {
                            upper = _ranges.NextUpper(reader, lower, sizer.Rows);
                            return Transient.Retry(() => CopyChunk(reader, writer, lower, upper), what, _observer, _cancellationToken);
                        },
                        what,
                        undoChunk: true
                    )
                );
                sizer.Observe(rows, chunkWatch.Elapsed.TotalSeconds, last: upper == null);
                _observer.Debug(
                    $"{_layout.Table}: chunk {progress.ChunksCopied + 1}, {rows} row(s) after key "
                        + $"({(progress.LastKey is null ? "start" : Verify.DataVerifier.KeyText(progress.LastKey))}) "
                        + $"up to ({(upper is null ? "end" : Verify.DataVerifier.KeyText(upper))}), {_source.Endpoint} -> "
                        + $"{_target.Endpoint}, {chunkWatch.Elapsed.TotalSeconds:0.000} s; next chunk {sizer.Rows} row(s)."
                );
                progress.RowsCopied += rows;
                progress.ChunksCopied++;
                if (upper == null)
                {
                    progress.LastKey = Stopping(() =>
                        Reconnected((reader, _) => KeyCursor.Last(reader, _layout), $"{_layout.Table}: its last key", undoChunk: false)
                    ) ?? progress.LastKey;
                    progress.Complete = true;
                }
                else
                {
                    progress.LastKey = upper;
                }

                _checkpoint();
                var done = progress.RowsCopied - startRows;
                var rate = done / Math.Max(0.001, watch.Elapsed.TotalSeconds);
                var total = Math.Max(progress.RowsPlanned, progress.RowsCopied);
                _observer.Progress(
                    Update() with
                    {
                        RowsPerSecond = rate,
                        SecondsRemaining = rate > 0 ? (int)Math.Ceiling((total - progress.RowsCopied) / rate) : -1,
                        Completed = progress.Complete,
                    }
                );
                if (progress.Complete)
                    break;
            }

            _observer.Debug(
                $"{_layout.Table}: {progress.RowsCopied} row(s) in {progress.ChunksCopied} chunk(s), {watch.Elapsed.TotalSeconds:0.00} s."
            );
        }

        private long CopyChunk(
            MySqlConnection reader,
            MySqlConnection writer,
            IReadOnlyList<KeyValue>? lower,
            IReadOnlyList<KeyValue>? upper
        )
        {
            using var transaction = writer.BeginTransaction();
            long sent,
                inserted;
            using (
                var command = new MySqlCommand(
                    $"{_select} WHERE {_layout.RangePredicate(lower != null, upper != null)} ORDER BY {_layout.KeyList}",
                    reader
                )
            )
            using (_cancellationToken.Register(command.Cancel))
            {
                command.CommandTimeout = _statementSeconds;
                TableLayout.Bind(command, "@l", lower);
                TableLayout.Bind(command, "@h", upper);
                MySqlDataReader rows;
                try
                {
                    rows = command.ExecuteReader();
                }
                catch (MySqlException ex) when (!_cancellationToken.IsCancellationRequested && ConnectionLoss.Is(ex))
                {
                    throw ConnectionLoss.Error(_source, $"reading {_layout.Table}", ex);
                }
                catch (MySqlException ex) when (!_cancellationToken.IsCancellationRequested)
                {
                    throw new MigrationException(
                        ErrorIds.SourceReadFailed,
                        MigrationErrorKind.Connection,
                        _source.Endpoint + "." + _layout.Table,
                        $"Reading {_layout.Table} from {_source.Endpoint} failed: {ex.Message} (server error {ex.Number}).",
                        "check that the source server runs and the user may SELECT the data plane, then rerun: the copy resumes after the last recorded chunk.",
                        ex
                    );
                }

                using (rows)
                using (var stream = new LoadDataStream(rows, _layout.Columns.Count))
                {
                    var loader = _plan.Loader(writer, _layout, stream, replace: _live, _statementSeconds);
                    try
                    {
                        inserted = loader.Load();
                    }
                    catch (Exception ex) when (!_cancellationToken.IsCancellationRequested && ConnectionLoss.Is(ex))
                    {
                        // Which end went away: the reader's rows stream into the load, so ask the source's session.
                        throw ConnectionLoss.Error(
                            reader.State == System.Data.ConnectionState.Open ? _target : _source,
                            $"copying {_layout.Table}",
                            ex
                        );
                    }
                    catch (MySqlException ex) when (!_cancellationToken.IsCancellationRequested)
                    {
                        throw WriteFailed(_target, _layout, $"{ex.Message} (server error {ex.Number})", ex);
                    }

                    sent = stream.Rows;
                }
            }

            // LOAD DATA LOCAL turns what would be errors (a value the column cannot hold, a duplicate key) into
            // warnings and goes on: any warning, or a row count other than the rows sent, means the target
            // stored something other than what was read. That is data loss, so the chunk is not committed.
            var warnings = Warnings(writer);
            if (warnings.Count > 0)
                throw WriteFailed(_target, _layout, "the target raised warning(s): " + string.Join("; ", warnings), null);
            // REPLACE counts a replaced row twice (deleted and inserted): a live chunk stores at least what was sent.
            if (_live ? inserted < sent : inserted != sent)
                throw WriteFailed(_target, _layout, $"the target stored {inserted} of the {sent} row(s) sent", null);
            _cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
            return inserted;
        }

        /// <summary>Runs statements; whatever a cancellation interrupts (a killed statement, a closed stream) surfaces as the cancellation.</summary>
        private T Stopping<T>(Func<T> statements)
        {
            try
            {
                return statements();
            }
            catch (Exception ex) when (_cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                throw new OperationCanceledException("The copy was stopped.", ex, _cancellationToken);
            }
        }

        private static List<string> Warnings(MySqlConnection writer)
        {
            var warnings = new List<string>();
            using var command = new MySqlCommand("SHOW WARNINGS LIMIT 5", writer);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                warnings.Add($"{reader.GetString(0)} {reader.GetValue(1)}: {reader.GetString(2)}");
            return warnings;
        }
    }

    /// <summary>
    /// The proof that a partial target copy is ours before a resume continues it: up to the last
    /// checkpoint the target holds exactly the rows recorded, with the same digest as the source's range.
    /// </summary>
    private static async Task<bool> CopiedPartIsOursAsync(
        MySqlConnection reader,
        MySqlConnection writer,
        TableLayout layout,
        TableCopyState progress,
        CancellationToken cancellationToken
    )
    {
        var json = await Verify.DataVerifier.SameFamilyAsync(reader, writer, cancellationToken).ConfigureAwait(false);
        var copied = await Verify
            .DataVerifier.DigestAsync(writer, layout, json, null, progress.LastKey, ordered: false, cancellationToken)
            .ConfigureAwait(false);
        if (copied.Rows != progress.RowsCopied)
            return false;
        var original = await Verify
            .DataVerifier.DigestAsync(reader, layout, json, null, progress.LastKey, ordered: false, cancellationToken)
            .ConfigureAwait(false);
        return copied == original;
    }

    private static Task<int> RemoveUnrecordedRowsAsync(
        MySqlConnection writer,
        TableLayout layout,
        IReadOnlyList<KeyValue>? lastKey,
        ConnectionTarget target,
        CancellationToken cancellationToken
    ) =>
        ExecuteWriteAsync(
            writer,
            layout,
            target,
            $"DELETE FROM {layout.Quoted} WHERE {layout.RangePredicate(lastKey != null, false)}",
            lastKey,
            cancellationToken
        );

    private static async Task<int> ExecuteWriteAsync(
        MySqlConnection writer,
        TableLayout layout,
        ConnectionTarget target,
        string sql,
        IReadOnlyList<KeyValue>? lower,
        CancellationToken cancellationToken
    )
    {
        using var command = new MySqlCommand(sql, writer);
        TableLayout.Bind(command, "@l", lower);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException ex)
        {
            throw WriteFailed(target, layout, $"{ex.Message} (server error {ex.Number})", ex);
        }
    }

    private static MigrationException WriteFailed(ConnectionTarget target, TableLayout layout, string what, Exception? inner) =>
        new(
            ErrorIds.TargetWriteFailed,
            MigrationErrorKind.Unspecified,
            target.Endpoint + "." + layout.Table,
            $"Writing {layout.Table} to {target.Endpoint} failed: {what}.",
            "check the target's free disk space, grants (INSERT, DELETE, DROP for TRUNCATE) and max_allowed_packet, then rerun: "
                + "the copy resumes after the last recorded chunk.",
            inner
        );
}
