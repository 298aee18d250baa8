// The online benchmark's shop: writes to the benchmark's data plane at a steady rate (--rate, transactions
// a second) until the file named by --stop exists, the way the marketplace backend does: each transaction
// reads the maintenance gate and the data location from Shopware's system_config (on the source server),
// inside its own transaction when the data lives there (so the drain proof sees it), waits while the gate
// is set (the time every write was blocked is recorded), and writes wherever the data location points.
// One line per transaction on stdout: unix_ms  latency_ms  kind  (kind "blocked" = the gate's wait).
//   MM_WRITER_SOURCE / MM_WRITER_TARGET: connection strings of the two databases (src holds system_config).
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

var rate = 200.0;
string? stop = null;
var tables = 8;
var rows = 250_000;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--rate") rate = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--stop") stop = args[i + 1];
    if (args[i] == "--tables") tables = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--rows") rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
}

var sourceCs = Environment.GetEnvironmentVariable("MM_WRITER_SOURCE") ?? throw new InvalidOperationException("set MM_WRITER_SOURCE");
var targetCs = Environment.GetEnvironmentVariable("MM_WRITER_TARGET") ?? throw new InvalidOperationException("set MM_WRITER_TARGET");
using var source = new MySqlConnection(sourceCs);
using var target = new MySqlConnection(targetCs);
source.Open();
target.Open();
var random = new Random(17);
var parents = new List<long>();
using (var c = new MySqlCommand("SELECT id FROM flyokai_bench_parent", source))
using (var r = c.ExecuteReader())
{
    while (r.Read()) parents.Add(r.GetInt64(0));
}

var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
var interval = TimeSpan.FromSeconds(1 / rate);
var clock = Stopwatch.StartNew();
long n = 0, committed = 0, refused = 0;
var lastFlush = clock.Elapsed;
while (stop is null || !File.Exists(stop))
{
    var due = TimeSpan.FromTicks(interval.Ticks * n++);
    var wait = due - clock.Elapsed;
    if (wait > TimeSpan.Zero) Thread.Sleep(wait);
    else if (-wait > TimeSpan.FromSeconds(1)) n = clock.Elapsed.Ticks / interval.Ticks;

    var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    var watch = Stopwatch.StartNew();
    var (gate, cluster) = Settings(source, null);
    if (gate)
    {
        while (Settings(source, null).Gate) Thread.Sleep(5);
        output.WriteLine($"{at}\t{watch.Elapsed.TotalMilliseconds:0.000}\tblocked");
        n = clock.Elapsed.Ticks / interval.Ticks;
        continue;
    }

    var data = cluster ? target : source;
    string kind;
    try
    {
        using var tx = data.BeginTransaction();
        if (!cluster)
        {
            // The gate read inside the transaction, on the data's server: the drain proof sees this transaction.
            if (Settings(source, tx).Gate)
            {
                tx.Rollback();
                n--;
                continue;
            }
        }
        else
        {
            Exec(data, tx, "SELECT 1 FROM flyokai_bench_parent LIMIT 1");
            if (Settings(source, null).Gate)
            {
                tx.Rollback();
                n--;
                continue;
            }
        }

        kind = Write(data, tx);
        tx.Commit();
        committed++;
    }
    catch (MySqlException ex) when (ex.Number is 1213 or 1205 or 1062 or 1451)
    {
        refused++;
        continue;
    }

    output.WriteLine($"{at}\t{watch.Elapsed.TotalMilliseconds:0.000}\t{kind}");
    if (clock.Elapsed - lastFlush > TimeSpan.FromSeconds(1))
    {
        output.Flush();
        lastFlush = clock.Elapsed;
    }
}

output.Flush();
Console.Error.WriteLine($"benchwriter: {committed} committed, {refused} refused by the server, {clock.Elapsed.TotalSeconds:0.0} s");
return 0;

(bool Gate, bool Cluster) Settings(MySqlConnection connection, MySqlTransaction? tx)
{
    using var c = new MySqlCommand("SELECT configuration_key, CAST(configuration_value AS CHAR) FROM system_config WHERE configuration_key IN "
        + "('FlyokaiMarketplaceRemote.config.maintenance', 'FlyokaiMarketplaceRemote.config.dataLocation') AND sales_channel_id IS NULL", connection, tx);
    using var r = c.ExecuteReader();
    bool gate = false, cluster = false;
    while (r.Read())
    {
        var value = r.GetString(1).Replace(" ", string.Empty);
        if (r.GetString(0).EndsWith("maintenance", StringComparison.Ordinal)) gate = value.Contains("true", StringComparison.Ordinal);
        else cluster = value.Contains("cluster", StringComparison.Ordinal);
    }

    return (gate, cluster);
}

string Write(MySqlConnection c, MySqlTransaction tx)
{
    var table = "flyokai_sbtest" + random.Next(1, tables + 1).ToString(CultureInfo.InvariantCulture);
    var id = random.Next(1, rows + 1);
    var roll = random.Next(100);
    if (roll < 40)
    {
        Exec(c, tx, $"UPDATE {table} SET k = k + 1 WHERE id = @a", id);
        return "update";
    }

    if (roll < 60)
    {
        Exec(c, tx, $"INSERT INTO {table} (k, c, pad) VALUES (@a, REPEAT('w', 120), REPEAT('p', 60))", id);
        return "insert";
    }

    if (roll < 72)
    {
        Exec(c, tx, $"DELETE FROM {table} WHERE id = @a", id);
        return "delete";
    }

    if (roll < 82)
    {
        Exec(c, tx, $"UPDATE {table} SET id = @a WHERE id = @b", 1_000_000_000 + random.Next(0, 1_000_000_000), id);
        return "key-change";
    }

    if (roll < 94 || parents.Count < 100)
    {
        Exec(c, tx, "INSERT INTO flyokai_bench_parent (name) VALUES ('live')");
        var parent = Convert.ToInt64(new MySqlCommand("SELECT LAST_INSERT_ID()", c, tx).ExecuteScalar(), CultureInfo.InvariantCulture);
        Exec(c, tx, "INSERT INTO flyokai_bench_child (parent_id, v) VALUES (@a, 1), (@a, 2), (@a, 3), (@a, 4), (@a, 5)", parent);
        parents.Add(parent);
        return "insert-tree";
    }

    var i = random.Next(parents.Count);
    var victim = parents[i];
    parents[i] = parents[^1];
    parents.RemoveAt(parents.Count - 1);
    Exec(c, tx, "DELETE FROM flyokai_bench_parent WHERE id = @a", victim);
    return "cascade-delete";
}

static void Exec(MySqlConnection c, MySqlTransaction tx, string sql, params object[] values)
{
    using var command = new MySqlCommand(sql, c, tx);
    var names = new[] { "@a", "@b" };
    for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue(names[i], values[i]);
    command.ExecuteNonQuery();
}
