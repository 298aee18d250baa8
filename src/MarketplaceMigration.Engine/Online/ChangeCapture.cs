using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Online;

/// <summary>
/// Captures every change to the source's data plane without binlog privileges: per table, AFTER
/// INSERT/UPDATE/DELETE triggers record the primary key of each changed row (the old key too when an
/// UPDATE changes it) in the table's changelog, in the same transaction as the application's write;
/// a table that cascades to children (ON DELETE/UPDATE CASCADE or SET NULL) gets BEFORE DELETE/UPDATE
/// triggers that log the children (and their children) the server is about to change, since no trigger
/// fires for those rows. The changelog holds keys only: a replay re-reads each row's current value.
/// </summary>
/// <remarks>
/// A trigger is created or dropped under an exclusive metadata lock, which application statements on
/// the table queue behind: each attempt waits at most <see cref="LockWaitSeconds"/> (then the queue
/// moves on) and is retried with a growing pause, so no application write waits much longer than a
/// second behind it. A write transaction that began before a trigger existed ends before the lock is
/// granted, so its rows are either captured or already visible to the copy that starts afterwards.
/// </remarks>
public static class ChangeCapture
{
    /// <summary>How long one CREATE or DROP TRIGGER waits for the table's metadata lock.</summary>
    public const int LockWaitSeconds = 1;

    /// <summary>How many times it is tried.</summary>
    public const int Attempts = 12;

    /// <summary>
    /// The checks an online run makes before it changes anything: the server keeps several triggers per
    /// event (MariaDB 10.2.3+, MySQL 5.7.2+) when a table already has triggers of its own, and a server
    /// that logs binary accepts triggers from this user (SUPER, or log_bin_trust_function_creators).
    /// Tables with the shop's own triggers are named in a warning: ours run beside them.
    /// </summary>
    public static async Task PreflightAsync(
        ConnectionTarget source,
        CapturePlan plan,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        if (plan is null)
            throw new ArgumentNullException(nameof(plan));
        observer ??= NullRunObserver.Instance;
        using var connection = await ConnectionFactory.OpenAsync(source, cancellationToken).ConfigureAwait(false);
        var foreign = await ExistingTriggersAsync(connection, plan, ours: false, cancellationToken).ConfigureAwait(false);
        string version;
        bool logBin,
            trusted;
        using (var command = new MySqlCommand("SELECT VERSION(), @@GLOBAL.log_bin, @@GLOBAL.log_bin_trust_function_creators", connection))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            version = reader.GetString(0);
            logBin = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) != 0;
            trusted = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture) != 0;
        }

        var super = logBin && !trusted && await HoldsSuperAsync(connection, cancellationToken).ConfigureAwait(false);
        bool galera;
        using (var command = new MySqlCommand("SHOW GLOBAL VARIABLES LIKE 'wsrep\\_on'", connection))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            galera =
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                && string.Equals(reader.GetString(1), "ON", StringComparison.OrdinalIgnoreCase);
        var refusal = Refusal(
            source.Endpoint.ToString(),
            version,
            foreign.Select(f => f.Table).Distinct().ToList(),
            logBin,
            trusted,
            super,
            galera
        );
        if (refusal != null)
            throw refusal;
        if (foreign.Count > 0)
        {
            observer.Warning(
                $"Table(s) with triggers of their own on {source.Endpoint}: {string.Join(", ", foreign.Select(f => $"{f.Table} ({f.Name})"))}. "
                    + "The online move's triggers run beside them; writes those triggers make to data-plane tables are captured too."
            );
        }
    }

    /// <summary>
    /// The refusal for what the preflight found, or null (pure: unit-tested on captured answers). A source with
    /// <c>wsrep_on</c> (a Galera node) is refused: Galera runs each CREATE and DROP TRIGGER in total order on every
    /// node while the shop writes through them, and on MariaDB 10.11 that broke the shop's writes and the capture
    /// itself (docs/decisions.md, "No online move from a Galera source").
    /// </summary>
    public static MigrationException? Refusal(
        string endpoint,
        string version,
        IReadOnlyList<string> tablesWithTriggers,
        bool logBin,
        bool trustFunctionCreators,
        bool super,
        bool galera
    )
    {
        if (tablesWithTriggers is null)
            throw new ArgumentNullException(nameof(tablesWithTriggers));
        if (galera)
        {
            return new MigrationException(
                ErrorIds.OnlineNotPossible,
                MigrationErrorKind.PreflightFailed,
                endpoint,
                $"{endpoint} is a node of a Galera cluster, and an online move cannot capture changes there safely: each node "
                    + "applies the capture's triggers in total order while the shop writes through it, and on MariaDB 10.11 that "
                    + "failed the shop's writes (\"trigger has an error in its body\"), left a trigger on one node, and let changes "
                    + "made through other nodes go uncaptured. Nothing has changed yet.",
                "end this run with Stop-DataMigration, then move without -Online: the offline move copies behind the gate and "
                    + "verifies every node. An online move to a Galera cluster (from a standalone source) is supported."
            );
        }

        var flavor = Schema.ServerFlavor.FromVersion(version ?? string.Empty);
        var multiple = flavor.Product == Schema.ServerProduct.MariaDb ? AtLeast(version!, 10, 2, 3) : AtLeast(version!, 5, 7, 2);
        if (tablesWithTriggers.Count > 0 && !multiple)
        {
            return new MigrationException(
                ErrorIds.OnlineNotPossible,
                MigrationErrorKind.PreflightFailed,
                endpoint,
                $"{endpoint} ({version}) keeps one trigger per table and event, and {string.Join(", ", tablesWithTriggers)} "
                    + "already have their own, so changes cannot be captured beside them.",
                "move without -Online (the offline move copies behind the gate), or upgrade the server (MariaDB 10.2.3+, MySQL 5.7.2+)."
            );
        }

        if (logBin && !trustFunctionCreators && !super)
        {
            return new MigrationException(
                ErrorIds.OnlineNotPossible,
                MigrationErrorKind.Permission,
                endpoint,
                $"{endpoint} writes a binary log and its user may not create triggers there (no SUPER, log_bin_trust_function_creators is OFF).",
                "as an administrator run: SET GLOBAL log_bin_trust_function_creators = 1; (and set it in the server's "
                    + "configuration), then rerun. Nothing has changed yet."
            );
        }

        return null;
    }

    /// <summary>
    /// Creates every changelog (if missing), then every table's triggers, each with a short lock wait and
    /// retries. Idempotent: a trigger already there is kept, so a rerun after a kill goes on where it stopped.
    /// </summary>
    /// <returns>The triggers created by this call.</returns>
    public static async Task<int> InstallAsync(
        ConnectionTarget source,
        CapturePlan plan,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        if (plan is null)
            throw new ArgumentNullException(nameof(plan));
        observer ??= NullRunObserver.Instance;
        using var connection = await OpenAsync(source, cancellationToken).ConfigureAwait(false);
        foreach (var table in plan.Tables)
        {
            await ExecuteAsync(connection, ChangelogDdl(table), cancellationToken).ConfigureAwait(false);
        }

        var existing = new HashSet<string>(
            (await ExistingTriggersAsync(connection, plan, ours: true, cancellationToken).ConfigureAwait(false)).Select(t => t.Name),
            StringComparer.Ordinal
        );
        var created = 0;
        foreach (var table in plan.Tables)
        {
            foreach (var (name, sql) in TriggerDdl(plan, table))
            {
                if (existing.Contains(name))
                    continue;
                await WithShortLockAsync(connection, source, table.Table, "install the change capture on", sql, observer, cancellationToken)
                    .ConfigureAwait(false);
                created++;
            }
        }

        return created;
    }

    /// <summary>The capture triggers and changelogs the plan needs that are not on the source (empty: complete).</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync(
        ConnectionTarget source,
        CapturePlan plan,
        CancellationToken cancellationToken
    )
    {
        if (plan is null)
            throw new ArgumentNullException(nameof(plan));
        using var connection = await ConnectionFactory.OpenAsync(source, cancellationToken).ConfigureAwait(false);
        var triggers = new HashSet<string>(
            (await ExistingTriggersAsync(connection, plan, ours: true, cancellationToken).ConfigureAwait(false)).Select(t => t.Name),
            StringComparer.Ordinal
        );
        var tables = await ChangelogsAsync(connection, cancellationToken).ConfigureAwait(false);
        var missing = new List<string>();
        foreach (var table in plan.Tables)
        {
            if (!tables.Contains(table.Changelog))
                missing.Add(table.Changelog);
            missing.AddRange(TriggerDdl(plan, table).Select(t => t.Name).Where(n => !triggers.Contains(n)));
        }

        return missing;
    }

    /// <summary>
    /// Removes every capture trigger on <paramref name="tables"/> and their changelogs (found by name on
    /// the server, whatever plan made them), triggers first, so no application write fails for want of a changelog.
    /// </summary>
    /// <returns>How many triggers and changelogs were dropped.</returns>
    public static async Task<(int Triggers, int Changelogs)> RemoveAsync(
        ConnectionTarget source,
        IReadOnlyList<string> tables,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        if (tables is null)
            throw new ArgumentNullException(nameof(tables));
        observer ??= NullRunObserver.Instance;
        using var connection = await OpenAsync(source, cancellationToken).ConfigureAwait(false);
        var dropped = 0;
        foreach (var (table, name) in await TriggersAsync(connection, tables, ours: true, cancellationToken).ConfigureAwait(false))
        {
            await WithShortLockAsync(
                    connection,
                    source,
                    table,
                    "remove the change capture from",
                    "DROP TRIGGER IF EXISTS " + SqlIdentifier.Quote(name),
                    observer,
                    cancellationToken
                )
                .ConfigureAwait(false);
            dropped++;
        }

        var changelogs = await ChangelogsAsync(connection, cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var changelog in tables.Select(CaptureNames.Changelog).Where(changelogs.Contains))
        {
            await ExecuteAsync(connection, "DROP TABLE IF EXISTS " + SqlIdentifier.Quote(changelog), cancellationToken)
                .ConfigureAwait(false);
            removed++;
        }

        return (dropped, removed);
    }

    /// <summary>The changelog of one table: a sequence (commit order is not sequence order: replay never assumes it), the key,
    /// when it was logged, and the replay round that consumed it (0: waiting).</summary>
    public static string ChangelogDdl(CaptureTable table)
    {
        if (table is null)
            throw new ArgumentNullException(nameof(table));
        return $"CREATE TABLE IF NOT EXISTS {SqlIdentifier.Quote(table.Changelog)} (`_mm_seq` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, "
            + string.Join(", ", table.Key.Select(k => k.Ddl))
            + ", `_mm_at` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `_mm_round` BIGINT UNSIGNED NOT NULL DEFAULT 0, "
            + "PRIMARY KEY (`_mm_seq`), KEY `_mm_pending` (`_mm_round`, `_mm_seq`)) ENGINE=InnoDB";
    }

    /// <summary>The CREATE TRIGGER statements of one table, by trigger name.</summary>
    public static IReadOnlyList<(string Name, string Sql)> TriggerDdl(CapturePlan plan, CaptureTable table)
    {
        if (plan is null)
            throw new ArgumentNullException(nameof(plan));
        if (table is null)
            throw new ArgumentNullException(nameof(table));
        var quoted = SqlIdentifier.Quote(table.Table);
        string Log(string row) =>
            $"INSERT INTO {SqlIdentifier.Quote(table.Changelog)} ({string.Join(", ", table.Key.Select(k => SqlIdentifier.Quote(k.Name)))}) "
            + $"VALUES ({string.Join(", ", table.Key.Select(k => row + "." + SqlIdentifier.Quote(k.Name)))})";
        var keyChanged = string.Join(
            " AND ",
            table.Key.Select(k => $"OLD.{SqlIdentifier.Quote(k.Name)} <=> NEW.{SqlIdentifier.Quote(k.Name)}")
        );
        var triggers = new List<(string, string)>
        {
            (
                CaptureNames.Trigger(table.Table, "ai"),
                $"CREATE TRIGGER {SqlIdentifier.Quote(CaptureNames.Trigger(table.Table, "ai"))} AFTER INSERT ON {quoted} FOR EACH ROW {Log("NEW")}"
            ),
            (
                CaptureNames.Trigger(table.Table, "au"),
                $"CREATE TRIGGER {SqlIdentifier.Quote(CaptureNames.Trigger(table.Table, "au"))} AFTER UPDATE ON {quoted} FOR EACH "
                    + $"ROW BEGIN {Log("NEW")}; IF NOT ({keyChanged}) THEN {Log("OLD")}; END IF; END"
            ),
            (
                CaptureNames.Trigger(table.Table, "ad"),
                $"CREATE TRIGGER {SqlIdentifier.Quote(CaptureNames.Trigger(table.Table, "ad"))} AFTER DELETE ON {quoted} FOR EACH ROW {Log("OLD")}"
            ),
        };

        var onDelete = Descendants(plan, table.Table, e => e.OnDelete);
        if (onDelete.Count > 0)
        {
            triggers.Add(
                (
                    CaptureNames.Trigger(table.Table, "bd"),
                    $"CREATE TRIGGER {SqlIdentifier.Quote(CaptureNames.Trigger(table.Table, "bd"))} BEFORE DELETE ON {quoted} FOR "
                        + $"EACH ROW BEGIN {string.Join("; ", onDelete.Select(p => LogDescendants(plan, p)))}; END"
                )
            );
        }

        var onUpdate = Descendants(plan, table.Table, e => e.OnUpdate);
        if (onUpdate.Count > 0)
        {
            var referenced = onUpdate
                .Select(p => p[0])
                .SelectMany(e => e.ParentColumns)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(c => $"OLD.{SqlIdentifier.Quote(c)} <=> NEW.{SqlIdentifier.Quote(c)}");
            triggers.Add(
                (
                    CaptureNames.Trigger(table.Table, "bu"),
                    $"CREATE TRIGGER {SqlIdentifier.Quote(CaptureNames.Trigger(table.Table, "bu"))} BEFORE UPDATE ON {quoted} FOR "
                        + $"EACH ROW BEGIN IF NOT ({string.Join(" AND ", referenced)}) THEN "
                        + $"{string.Join("; ", onUpdate.Select(p => LogDescendants(plan, p)))}; END IF; END"
                )
            );
        }

        return triggers;
    }

    /// <summary>
    /// Every chain of cascading foreign keys that starts at <paramref name="table"/> with an edge that
    /// <paramref name="first"/> accepts and goes on through any cascading edge (over-logging a row is
    /// harmless: its replay re-reads it), without returning to a table already on the chain.
    /// </summary>
    private static List<List<CascadeEdge>> Descendants(CapturePlan plan, string table, Func<CascadeEdge, bool> first)
    {
        var paths = new List<List<CascadeEdge>>();
        void Walk(List<CascadeEdge> path)
        {
            paths.Add(path);
            if (path.Count >= 6)
                return;
            var last = path[path.Count - 1];
            foreach (var edge in plan.Of(last.Child).Cascades)
            {
                if (edge.Child == table || path.Any(p => p.Child == edge.Child))
                    continue;
                Walk(new List<CascadeEdge>(path) { edge });
            }
        }

        // A self-reference (a reply's reply_to_id SET NULL when its mail goes) is a first edge like any other.
        foreach (var edge in plan.Of(table).Cascades.Where(first))
            Walk(new List<CascadeEdge> { edge });

        return paths;
    }

    /// <summary>Logs the keys of the rows at the end of a chain of cascades from OLD (a join down the chain).</summary>
    private static string LogDescendants(CapturePlan plan, IReadOnlyList<CascadeEdge> path)
    {
        var leaf = plan.Of(path[path.Count - 1].Child);
        var alias = new List<string>();
        for (var i = 0; i < path.Count; i++)
            alias.Add("c" + i.ToString(CultureInfo.InvariantCulture));
        var from = $"{SqlIdentifier.Quote(path[0].Child)} {alias[0]}";
        for (var i = 1; i < path.Count; i++)
        {
            var on = string.Join(
                " AND ",
                path[i]
                    .ChildColumns.Zip(path[i].ParentColumns, (c, p) =>
                        $"{alias[i]}.{SqlIdentifier.Quote(c)} = {alias[i - 1]}.{SqlIdentifier.Quote(p)}"
                    )
            );
            from += $" JOIN {SqlIdentifier.Quote(path[i].Child)} {alias[i]} ON {on}";
        }

        var where = string.Join(
            " AND ",
            path[0].ChildColumns.Zip(path[0].ParentColumns, (c, p) => $"{alias[0]}.{SqlIdentifier.Quote(c)} = OLD.{SqlIdentifier.Quote(p)}")
        );
        var last = alias[path.Count - 1];
        return $"INSERT INTO {SqlIdentifier.Quote(leaf.Changelog)} ({string.Join(", ", leaf.Key.Select(k => SqlIdentifier.Quote(k.Name)))}) "
            + $"SELECT {string.Join(", ", leaf.Key.Select(k => last + "." + SqlIdentifier.Quote(k.Name)))} FROM {from} WHERE {where}";
    }

    private static async Task WithShortLockAsync(
        MySqlConnection connection,
        ConnectionTarget source,
        string table,
        string what,
        string sql,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MySqlException ex) when (ex.ErrorCode is MySqlErrorCode.LockWaitTimeout || ex.Number == 1205)
            {
                if (attempt >= Attempts)
                {
                    throw new MigrationException(
                        ErrorIds.CaptureLockTimeout,
                        MigrationErrorKind.Timeout,
                        source.Endpoint + "." + table,
                        $"Could not {what} {table} on {source.Endpoint}: {attempt} attempts of {LockWaitSeconds} s each waited "
                            + "for its metadata lock, which a long transaction or statement holds.",
                        $"find the session that holds {table} open (SHOW PROCESSLIST; information_schema.INNODB_TRX) and let it finish, then rerun.",
                        ex
                    );
                }

                var pause = TimeSpan.FromMilliseconds(Math.Min(5000, 250 * attempt));
                observer.Verbose(
                    $"{table}: its metadata lock was busy ({attempt}/{Attempts}); application writes went on. Trying again in {pause.TotalSeconds:0.0} s."
                );
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<MySqlConnection> OpenAsync(ConnectionTarget source, CancellationToken cancellationToken)
    {
        var connection = await ConnectionFactory.OpenAsync(source, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
                connection,
                $"SET SESSION lock_wait_timeout = {LockWaitSeconds.ToString(CultureInfo.InvariantCulture)}",
                cancellationToken
            )
            .ConfigureAwait(false);
        return connection;
    }

    private static Task<List<(string Table, string Name)>> ExistingTriggersAsync(
        MySqlConnection connection,
        CapturePlan plan,
        bool ours,
        CancellationToken cancellationToken
    ) => TriggersAsync(connection, plan.Tables.Select(t => t.Table), ours, cancellationToken);

    /// <summary>The triggers on <paramref name="of"/>: ours (named <c>_mm_*</c>) or the shop's own.</summary>
    private static async Task<List<(string Table, string Name)>> TriggersAsync(
        MySqlConnection connection,
        IEnumerable<string> of,
        bool ours,
        CancellationToken cancellationToken
    )
    {
        var found = new List<(string, string)>();
        var tables = new HashSet<string>(of, StringComparer.Ordinal);
        using var command = new MySqlCommand(
            "SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
            connection
        );
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var (table, name) = (reader.GetString(0), reader.GetString(1));
            if (tables.Contains(table) && name.StartsWith(CaptureNames.Prefix, StringComparison.Ordinal) == ours)
                found.Add((table, name));
        }

        return found;
    }

    private static async Task<HashSet<string>> ChangelogsAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var command = new MySqlCommand(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND LEFT(TABLE_NAME, 8) = '_mm_chg_'",
            connection
        );
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            names.Add(reader.GetString(0));
        return names;
    }

    private static async Task<bool> HoldsSuperAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand(
            "SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), "
                + "'@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''') AND PRIVILEGE_TYPE = 'SUPER'",
            connection
        );
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    private static bool AtLeast(string version, int major, int minor, int patch)
    {
        var digits = new string(version.TakeWhile(c => char.IsDigit(c) || c == '.').ToArray()).Split('.');
        int Part(int i) => i < digits.Length && int.TryParse(digits[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return (Part(0), Part(1), Part(2)).CompareTo((major, minor, patch)) >= 0;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
