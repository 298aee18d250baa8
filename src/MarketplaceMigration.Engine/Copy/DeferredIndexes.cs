using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.SchemaMigrations;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Deferred secondary indexes (profile <c>deferIndexes</c>): step 4 drops the target's secondary
/// indexes before the load and rebuilds each table's in one ALTER after it, which sorts each index
/// once instead of maintaining it row by row. The definitions are recorded in the state before they
/// are dropped, so an interrupted run rebuilds them on its rerun; an index a foreign key needs is kept.
/// </summary>
public static class DeferredIndexes
{
    /// <summary>Drops the secondary indexes of <paramref name="tables"/> (those not recorded yet), recording each table's first.</summary>
    public static async Task DropAsync(ConnectionTarget target, IEnumerable<string> tables, IDictionary<string, List<string>> record, Action save, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (save is null) throw new ArgumentNullException(nameof(save));
        using var connection = await CopySession.OpenWriteAsync(target, cancellationToken).ConfigureAwait(false);
        foreach (var table in tables.Where(t => !record.ContainsKey(t)))
        {
            var keys = (await ParityMigration.ReadCreateTableAsync(connection, table, cancellationToken).ConfigureAwait(false)).Keys
                .Where(k => k.Key != "PRIMARY" && !k.Value.StartsWith("FULLTEXT", StringComparison.Ordinal) && !k.Value.StartsWith("SPATIAL", StringComparison.Ordinal))
                .ToList();
            if (keys.Count == 0) continue;
            record[table] = keys.Select(k => k.Value).ToList();
            save();
            foreach (var key in keys)
            {
                try
                {
                    await ExecuteAsync(connection, $"ALTER TABLE {SqlIdentifier.Quote(table)} DROP INDEX {SqlIdentifier.Quote(key.Key)}", cancellationToken).ConfigureAwait(false);
                }
                catch (MySqlException ex)
                {
                    // Typically an index a foreign key needs (server error 1553): it stays, and is not rebuilt.
                    record[table].Remove(key.Value);
                    save();
                    observer.Verbose($"{table}: kept index {key.Key} on {target.Endpoint} during the load ({ex.Message}).");
                }
            }

            observer.Verbose($"{table}: dropped {record[table].Count} secondary index(es) on {target.Endpoint} for the load; they are rebuilt after it.");
        }
    }

    /// <summary>Rebuilds every recorded table's indexes (one ALTER per table; indexes already present are skipped), clearing each record once done.</summary>
    public static async Task RebuildAsync(ConnectionTarget target, IDictionary<string, List<string>> record, Action save, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (save is null) throw new ArgumentNullException(nameof(save));
        if (record.Count == 0) return;
        using var connection = await CopySession.OpenWriteAsync(target, cancellationToken).ConfigureAwait(false);
        foreach (var table in record.Keys.ToList())
        {
            var present = new HashSet<string>((await ParityMigration.ReadCreateTableAsync(connection, table, cancellationToken).ConfigureAwait(false)).Keys.Values, StringComparer.Ordinal);
            var missing = record[table].Where(k => !present.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    await ExecuteAsync(connection, $"ALTER TABLE {SqlIdentifier.Quote(table)} " + string.Join(", ", missing.Select(k => "ADD " + k)), cancellationToken).ConfigureAwait(false);
                }
                catch (MySqlException ex)
                {
                    throw new MigrationException(ErrorIds.TargetWriteFailed, MigrationErrorKind.Unspecified, target.Endpoint + "." + table,
                        $"Rebuilding the secondary indexes of {table} on {target.Endpoint} after the load failed: {ex.Message} (server error {ex.Number}). They are recorded in the state file.",
                        "check the target's free disk space and tmpdir, or for a unique index the rows it names; then rerun: the rerun builds them again.", ex);
                }

                observer.Verbose($"{table}: rebuilt {missing.Count} secondary index(es) on {target.Endpoint} in {watch.Elapsed.TotalSeconds:0.00} s.");
            }

            record.Remove(table);
            save();
        }
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
