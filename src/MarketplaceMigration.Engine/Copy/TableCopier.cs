using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.State;
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
public static class TableCopier
{
    /// <summary>Copies what is left of <paramref name="layout"/>'s table, saving <paramref name="progress"/> through <paramref name="checkpoint"/> after every chunk.</summary>
    public static async Task CopyAsync(ConnectionTarget source, ConnectionTarget target, TableLayout layout, TableCopyState progress, int? chunkRows, int activity,
        Action checkpoint, IRunObserver observer, CancellationToken cancellationToken, CopyThrottle? throttle = null)
    {
        throttle ??= CopyThrottle.None;
        if (source is null) throw new ArgumentNullException(nameof(source));
        if (target is null) throw new ArgumentNullException(nameof(target));
        if (layout is null) throw new ArgumentNullException(nameof(layout));
        if (progress is null) throw new ArgumentNullException(nameof(progress));
        if (checkpoint is null) throw new ArgumentNullException(nameof(checkpoint));
        if (progress.Complete) return;
        using var reader = await CopySession.OpenReadAsync(source, cancellationToken).ConfigureAwait(false);
        using var writer = await CopySession.OpenWriteAsync(target, cancellationToken).ConfigureAwait(false);

        if (progress.LastKey != null && !await CopiedPartIsOursAsync(reader, writer, layout, progress, cancellationToken).ConfigureAwait(false))
        {
            observer.Warning($"{layout.Table}: the {progress.RowsCopied} row(s) on {target.Endpoint} up to the last checkpoint are not exactly the ones this run copied "
                + "(the target table, or those source rows, changed since the interruption); emptying it and copying it again from the start.");
            await ExecuteWriteAsync(writer, layout, target, "TRUNCATE TABLE " + layout.Quoted, null, cancellationToken).ConfigureAwait(false);
            progress.LastKey = null;
            progress.RowsCopied = 0;
            progress.ChunksCopied = 0;
            checkpoint();
        }

        var plan = await LoadPlan.ReadAsync(writer, layout, cancellationToken).ConfigureAwait(false);
        var removed = await RemoveUnrecordedRowsAsync(writer, layout, progress.LastKey, target, cancellationToken).ConfigureAwait(false);
        if (removed > 0) observer.Verbose($"{layout.Table}: removed {removed} target row(s) past the last checkpoint (a chunk committed but not recorded before the interruption).");

        var watch = Stopwatch.StartNew();
        var startRows = progress.RowsCopied;
        var sizer = new ChunkSizer(chunkRows ?? throttle.MaxChunkRows);
        while (true)
        {
            await throttle.WaitAsync(reader, sizer.Rows, note => observer.Progress(new ProgressUpdate
            {
                ActivityId = activity, Activity = "import_tables", Table = layout.Table, RowsDone = progress.RowsCopied,
                RowsTotal = Math.Max(progress.RowsPlanned, progress.RowsCopied), Note = note,
            }), cancellationToken).ConfigureAwait(false);
            var chunkWatch = Stopwatch.StartNew();
            var upper = await KeyCursor.NextUpperAsync(reader, layout, progress.LastKey, sizer.Rows, cancellationToken).ConfigureAwait(false);
            var rows = await CopyChunkAsync(reader, writer, layout, plan, progress.LastKey, upper, source, target, cancellationToken).ConfigureAwait(false);
            sizer.Observe(rows, chunkWatch.Elapsed.TotalSeconds);
            observer.Debug($"{layout.Table}: chunk {progress.ChunksCopied + 1}, {rows} row(s) after key ({(progress.LastKey is null ? "start" : Verify.DataVerifier.KeyText(progress.LastKey))}) "
                + $"up to ({(upper is null ? "end" : Verify.DataVerifier.KeyText(upper))}), {source.Endpoint} -> {target.Endpoint}, {chunkWatch.Elapsed.TotalSeconds:0.000} s; next chunk {sizer.Rows} row(s).");
            progress.RowsCopied += rows;
            progress.ChunksCopied++;
            if (upper == null)
            {
                progress.LastKey = await KeyCursor.LastAsync(reader, layout, cancellationToken).ConfigureAwait(false) ?? progress.LastKey;
                progress.Complete = true;
            }
            else
            {
                progress.LastKey = upper;
            }

            checkpoint();
            var done = progress.RowsCopied - startRows;
            var rate = done / Math.Max(0.001, watch.Elapsed.TotalSeconds);
            var total = Math.Max(progress.RowsPlanned, progress.RowsCopied);
            observer.Progress(new ProgressUpdate
            {
                ActivityId = activity,
                Activity = "import_tables",
                Table = layout.Table,
                RowsDone = progress.RowsCopied,
                RowsTotal = total,
                RowsPerSecond = rate,
                SecondsRemaining = rate > 0 ? (int)Math.Ceiling((total - progress.RowsCopied) / rate) : -1,
                Completed = progress.Complete,
            });
            if (progress.Complete) break;
        }

        observer.Debug($"{layout.Table}: {progress.RowsCopied} row(s) in {progress.ChunksCopied} chunk(s), {watch.Elapsed.TotalSeconds:0.00} s.");
    }

    private static async Task<long> CopyChunkAsync(MySqlConnection reader, MySqlConnection writer, TableLayout layout, LoadPlan plan, IReadOnlyList<KeyValue>? lower, IReadOnlyList<KeyValue>? upper,
        ConnectionTarget source, ConnectionTarget target, CancellationToken cancellationToken)
    {
        var select = $"SELECT {string.Join(", ", layout.Columns.Select(c => c.TransportExpression))} FROM {layout.Quoted} WHERE {layout.RangePredicate(lower != null, upper != null)} ORDER BY {layout.KeyList}";
        using var transaction = await writer.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long sent, inserted;
        using (var command = new MySqlCommand(select, reader))
        {
            TableLayout.Bind(command, "@l", lower);
            TableLayout.Bind(command, "@h", upper);
            MySqlDataReader rows;
            try
            {
                rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException ex)
            {
                throw new MigrationException(ErrorIds.SourceReadFailed, MigrationErrorKind.Connection, source.Endpoint + "." + layout.Table,
                    $"Reading {layout.Table} from {source.Endpoint} failed: {ex.Message} (server error {ex.Number}).",
                    "check that the source server runs and the user may SELECT the data plane, then rerun: the copy resumes after the last recorded chunk.", ex);
            }

            using (rows)
            using (var stream = new LoadDataStream(rows, layout.Columns.Count))
            {
                var loader = new MySqlBulkLoader(writer)
                {
                    TableName = layout.Quoted, Local = true, SourceStream = stream, CharacterSet = "binary", Timeout = 0,
                    FieldTerminator = "\t", LineTerminator = "\n", EscapeCharacter = '\\', ConflictOption = MySqlBulkLoaderConflictOption.None,
                };
                loader.Columns.AddRange(plan.Columns);
                loader.Expressions.AddRange(plan.Expressions);
                try
                {
                    inserted = await loader.LoadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (MySqlException ex)
                {
                    throw WriteFailed(target, layout, $"{ex.Message} (server error {ex.Number})", ex);
                }

                sent = stream.Rows;
            }
        }

        // LOAD DATA LOCAL turns what would be errors (a value the column cannot hold, a duplicate key) into
        // warnings and goes on: any warning, or a row count other than the rows sent, means the target
        // stored something other than what was read. That is data loss, so the chunk is not committed.
        var warnings = await WarningsAsync(writer, cancellationToken).ConfigureAwait(false);
        if (warnings.Count > 0) throw WriteFailed(target, layout, "the target raised warning(s): " + string.Join("; ", warnings), null);
        if (inserted != sent) throw WriteFailed(target, layout, $"the target stored {inserted} of the {sent} row(s) sent", null);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    private static async Task<List<string>> WarningsAsync(MySqlConnection writer, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        using var command = new MySqlCommand("SHOW WARNINGS LIMIT 5", writer);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) warnings.Add($"{reader.GetString(0)} {reader.GetValue(1)}: {reader.GetString(2)}");
        return warnings;
    }

    /// <summary>
    /// The proof that a partial target copy is ours before a resume continues it: up to the last
    /// checkpoint the target holds exactly the rows recorded, with the same digest as the source's range.
    /// </summary>
    private static async Task<bool> CopiedPartIsOursAsync(MySqlConnection reader, MySqlConnection writer, TableLayout layout, TableCopyState progress, CancellationToken cancellationToken)
    {
        var json = await Verify.DataVerifier.SameFamilyAsync(reader, writer, cancellationToken).ConfigureAwait(false);
        var copied = await Verify.DataVerifier.DigestAsync(writer, layout, json, null, progress.LastKey, cancellationToken).ConfigureAwait(false);
        if (copied.Rows != progress.RowsCopied) return false;
        var original = await Verify.DataVerifier.DigestAsync(reader, layout, json, null, progress.LastKey, cancellationToken).ConfigureAwait(false);
        return copied == original;
    }

    private static Task<int> RemoveUnrecordedRowsAsync(MySqlConnection writer, TableLayout layout, IReadOnlyList<KeyValue>? lastKey, ConnectionTarget target, CancellationToken cancellationToken)
        => ExecuteWriteAsync(writer, layout, target, $"DELETE FROM {layout.Quoted} WHERE {layout.RangePredicate(lastKey != null, false)}", lastKey, cancellationToken);

    private static async Task<int> ExecuteWriteAsync(MySqlConnection writer, TableLayout layout, ConnectionTarget target, string sql, IReadOnlyList<KeyValue>? lower, CancellationToken cancellationToken)
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

    private static MigrationException WriteFailed(ConnectionTarget target, TableLayout layout, string what, Exception? inner)
        => new(ErrorIds.TargetWriteFailed, MigrationErrorKind.Unspecified, target.Endpoint + "." + layout.Table,
            $"Writing {layout.Table} to {target.Endpoint} failed: {what}.",
            "check the target's free disk space, grants (INSERT, DELETE, DROP for TRUNCATE) and max_allowed_packet, then rerun: the copy resumes after the last recorded chunk.", inner);
}
