using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Schema;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Deferred secondary indexes (profile <c>deferIndexes</c>, on by default): a table's secondary
/// indexes are dropped on the target just before its load and rebuilt in one ALTER as soon as its
/// copy completes, while the other tables still load, which sorts each index once instead of
/// maintaining it row by row. The definitions are recorded (<see cref="DeferredIndexRecord"/>) before
/// they are dropped, so an interrupted copy's rerun rebuilds them; an index a foreign key needs is kept.
/// </summary>
public static class DeferredIndexes
{
    /// <summary>
    /// Whether dropping a table's indexes for its load pays: not for a table of fewer than the settings'
    /// <see cref="CopySettings.DeferIndexesMinRows"/> rows. Two DDL statements (the drop and the rebuild) cost a small table
    /// more than its indexes cost its load, the more so as the first load into an empty table with unique and foreign-key
    /// checks off is a bulk insert on MariaDB 10.6 and later (measured on 10.11, one statement into an empty sysbench
    /// table: 16 ms with the index against 26 ms deferred at 1,000 rows, equal at 10,000; at 100,000 wide rows deferring
    /// was 10 % faster; bench/RESULTS.md). A small shop's tables are all below the default.
    /// </summary>
    public static bool Worthwhile(TableCopyState progress, CopySettings settings)
    {
        if (progress is null)
            throw new ArgumentNullException(nameof(progress));
        if (settings is null)
            throw new ArgumentNullException(nameof(settings));
        return progress.RowsPlanned >= settings.DeferIndexesMinRows;
    }

    /// <summary>Drops the secondary indexes of <paramref name="table"/> unless it is recorded already (an earlier attempt dropped
    /// them), recording them first. With <paramref name="keepUnique"/> (the live copy, whose REPLACE needs them to resolve rows
    /// read at different moments that collide on a unique key) UNIQUE indexes stay.</summary>
    public static async Task DropAsync(
        ConnectionTarget target,
        string table,
        DeferredIndexRecord record,
        bool keepUnique,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (record is null)
            throw new ArgumentNullException(nameof(record));
        if (record.Has(table))
            return;
        using var connection = await TableSession.OpenWriteAsync(target, cancellationToken).ConfigureAwait(false);
        var keys = (await CreateTableText.ReadAsync(connection, table, cancellationToken).ConfigureAwait(false))
            .Keys.Where(k =>
                k.Key != "PRIMARY"
                && !k.Value.StartsWith("FULLTEXT", StringComparison.Ordinal)
                && !k.Value.StartsWith("SPATIAL", StringComparison.Ordinal)
                && !(keepUnique && k.Value.StartsWith("UNIQUE", StringComparison.Ordinal))
            )
            .ToList();
        if (keys.Count == 0)
            return;
        record.Set(table, keys.Select(k => k.Value));
        var dropped = 0;
        try
        {
            // One statement for all of them (each ALTER is a table rebuild of its own on some servers)...
            await ExecuteAsync(
                    connection,
                    $"ALTER TABLE {SqlIdentifier.Quote(table)} "
                        + string.Join(", ", keys.Select(k => "DROP INDEX " + SqlIdentifier.Quote(k.Key))),
                    cancellationToken
                )
                .ConfigureAwait(false);
            dropped = keys.Count;
        }
        catch (MySqlException ex) when (!Reconnecting.IsInterrupted(ex) && keys.Count > 1)
        {
            // ...and one at a time when the server refuses one of them (the statement changed nothing).
            foreach (var key in keys)
            {
                try
                {
                    await ExecuteAsync(
                            connection,
                            $"ALTER TABLE {SqlIdentifier.Quote(table)} DROP INDEX {SqlIdentifier.Quote(key.Key)}",
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    dropped++;
                }
                catch (MySqlException one) when (!Reconnecting.IsInterrupted(one))
                {
                    Keep(key, one);
                }
            }
        }
        catch (MySqlException ex) when (!Reconnecting.IsInterrupted(ex))
        {
            Keep(keys[0], ex);
        }

        // Typically an index a foreign key needs (server error 1553): it stays, and is not rebuilt.
        void Keep(KeyValuePair<string, string> key, MySqlException ex)
        {
            record.Remove(table, key.Value);
            observer.Verbose($"{table}: kept index {key.Key} on {target.Endpoint} during the load ({ex.Message}).");
        }

        observer.Verbose(
            $"{table}: dropped {dropped} secondary index(es) on {target.Endpoint} for the load; they are rebuilt when its copy completes."
        );
    }

    /// <summary>Rebuilds the recorded indexes of <paramref name="table"/> (one ALTER; indexes already present are skipped), then clears its record.</summary>
    public static async Task RebuildAsync(
        ConnectionTarget target,
        string table,
        DeferredIndexRecord record,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (record is null)
            throw new ArgumentNullException(nameof(record));
        var recorded = record.Get(table);
        if (recorded is null)
            return;
        using var connection = await TableSession.OpenWriteAsync(target, cancellationToken).ConfigureAwait(false);
        var present = new HashSet<string>(
            (await CreateTableText.ReadAsync(connection, table, cancellationToken).ConfigureAwait(false)).Keys.Values,
            StringComparer.Ordinal
        );
        var missing = recorded.Where(k => !present.Contains(k)).ToList();
        if (missing.Count > 0)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                // A deadlock with the loads of other tables (1213) or a lock wait that timed out leaves the table as it was: build again.
                await Transient
                    .RetryAsync(
                        async () =>
                        {
                            await ExecuteAsync(
                                    connection,
                                    $"ALTER TABLE {SqlIdentifier.Quote(table)} " + string.Join(", ", missing.Select(k => "ADD " + k)),
                                    cancellationToken
                                )
                                .ConfigureAwait(false);
                            return true;
                        },
                        $"{table}: rebuilding its secondary indexes on {target.Endpoint}",
                        observer,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            }
            catch (MySqlException ex) when (!Reconnecting.IsInterrupted(ex))
            {
                throw new MigrationException(
                    ErrorIds.TargetWriteFailed,
                    MigrationErrorKind.Unspecified,
                    target.Endpoint + "." + table,
                    $"Rebuilding the secondary indexes of {table} on {target.Endpoint} after the load failed: {ex.Message} "
                        + $"(server error {ex.Number}). They are recorded in {record.Where}.",
                    "check the target's free disk space and tmpdir, or for a unique index the rows it names; then rerun: the rerun builds them again.",
                    ex
                );
            }

            observer.Verbose(
                $"{table}: rebuilt {missing.Count} secondary index(es) on {target.Endpoint} in {watch.Elapsed.TotalSeconds:0.00} s."
            );
        }

        record.Clear(table);
    }

    /// <summary>Rebuilds every recorded table's indexes (those an earlier attempt dropped).</summary>
    public static async Task RebuildAllAsync(
        ConnectionTarget target,
        DeferredIndexRecord record,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (record is null)
            throw new ArgumentNullException(nameof(record));
        foreach (var table in record.Tables)
            await RebuildAsync(target, table, record, observer, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// The definitions of the secondary indexes dropped for a load, per table, saved after every change:
/// several table workers change it at once, so every change and every save happens under one lock
/// (the one the copy's checkpoints take, since a checkpoint saves the same state).
/// </summary>
public sealed class DeferredIndexRecord
{
    private readonly IDictionary<string, List<string>> _tables;
    private readonly Action _save;
    private readonly object _gate;

    /// <summary>A record kept in <paramref name="tables"/>, persisted by <paramref name="save"/> (called under
    /// <paramref name="gate"/>); <paramref name="where"/> names it in messages.</summary>
    public DeferredIndexRecord(IDictionary<string, List<string>> tables, Action save, object gate, string where)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _save = save ?? throw new ArgumentNullException(nameof(save));
        _gate = gate ?? throw new ArgumentNullException(nameof(gate));
        Where = where;
    }

    /// <summary>The lock every change and save takes; the copy's checkpoints take it too.</summary>
    internal object Gate => _gate;

    /// <summary>Where the record is kept (the state file), for messages.</summary>
    public string Where { get; }

    /// <summary>The recorded tables.</summary>
    public IReadOnlyList<string> Tables
    {
        get
        {
            lock (_gate)
                return _tables.Keys.ToList();
        }
    }

    /// <summary>Whether <paramref name="table"/> has dropped indexes recorded.</summary>
    public bool Has(string table)
    {
        lock (_gate)
            return _tables.ContainsKey(table);
    }

    /// <summary>The recorded definitions of <paramref name="table"/>, or null.</summary>
    public List<string>? Get(string table)
    {
        lock (_gate)
            return _tables.TryGetValue(table, out var keys) ? keys.ToList() : null;
    }

    /// <summary>Records <paramref name="definitions"/> for <paramref name="table"/> and saves.</summary>
    public void Set(string table, IEnumerable<string> definitions) => Change(() => _tables[table] = definitions.ToList());

    /// <summary>Forgets one definition (an index that could not be dropped) and saves.</summary>
    public void Remove(string table, string definition) =>
        Change(() =>
        {
            if (_tables.TryGetValue(table, out var keys))
                keys.Remove(definition);
        });

    /// <summary>Forgets <paramref name="table"/> (its indexes are back) and saves.</summary>
    public void Clear(string table) => Change(() => _tables.Remove(table));

    private void Change(Action change)
    {
        lock (_gate)
        {
            change();
            _save();
        }
    }
}
