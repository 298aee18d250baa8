using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// Keeps a data plane busy at a steady rate of transactions, as a shop does during an online move:
/// price and stock updates, inserted and deleted rows, primary-key changes, a unique value moved from
/// one row to another, and parent deletes the server cascades to children (and sets NULL in others).
/// Each transaction first opens a snapshot on the data's server (so the drain proof sees it), then reads
/// the gate from Shopware's system_config the way the marketplace backend does, and stops for good once
/// it is set. Every transaction's latency is kept with the moment it ran.
/// </summary>
public sealed class LiveWriter : IAsyncDisposable
{
    private readonly string _data;
    private readonly string _shopware;
    private readonly double _rate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private readonly List<(DateTime At, double Ms, string Kind)> _latencies = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private Task? _loop;
    private List<byte[]> _offers = new();
    private List<byte[]> _prices = new();
    private List<byte[]> _mails = new();
    private List<byte[]> _sellers = new();
    private readonly List<byte[]> _freshSellers = new();
    private readonly List<byte[]> _groups = new();

    private LiveWriter(string data, string shopware, double rate, int seed)
    {
        (_data, _shopware, _rate, _random) = (data, shopware, rate, new Random(seed));
    }

    /// <summary>Transactions committed.</summary>
    public int Committed { get; private set; }

    /// <summary>Transactions the server refused (a deadlock, a restricted delete): rolled back, nothing half done.</summary>
    public int Refused { get; private set; }

    /// <summary>Set once the writer saw the gate set and stopped.</summary>
    public DateTime? GateSeenAt { get; private set; }

    /// <summary>The first unexpected failure, if the loop died of one.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Committed transactions by kind.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>Every committed transaction's start and latency.</summary>
    public IReadOnlyList<(DateTime At, double Ms, string Kind)> Latencies
    {
        get
        {
            lock (_latencies) return _latencies.ToList();
        }
    }

    /// <summary>Starts writing to <paramref name="data"/>'s data plane at <paramref name="perSecond"/> transactions a second, watching the gate in <paramref name="shopware"/>.</summary>
    public static async Task<LiveWriter> StartAsync(TestDatabase data, TestDatabase shopware, double perSecond = 200, int seed = 11)
        => await StartAsync(data.ConnectionString, shopware.ConnectionString, perSecond, seed).ConfigureAwait(false);

    /// <summary>As above, by connection strings (the bench's writer).</summary>
    public static async Task<LiveWriter> StartAsync(string data, string shopware, double perSecond, int seed)
    {
        var writer = new LiveWriter(data, shopware, perSecond, seed);
        await writer.LoadIdsAsync().ConfigureAwait(false);
        writer._loop = Task.Factory.StartNew(() => writer.Run(), TaskCreationOptions.LongRunning);
        return writer;
    }

    /// <summary>Stops the loop and waits for it (a failure it died of is rethrown).</summary>
    public async Task StopAsync()
    {
        _stop.Cancel();
        if (_loop != null) await _loop.ConfigureAwait(false);
        if (Failure != null) throw new InvalidOperationException("The live writer failed: " + Failure.Message, Failure);
    }

    /// <summary>Waits until the writer has seen the gate and stopped (the move froze writes), at most <paramref name="timeout"/>.</summary>
    public async Task WaitForGateAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (GateSeenAt == null && Failure == null && DateTime.UtcNow < deadline) await Task.Delay(50).ConfigureAwait(false);
    }

    /// <summary>The p-th percentile of the latencies of transactions that started in [from, to).</summary>
    public double Percentile(double p, DateTime from, DateTime to)
    {
        var ms = Latencies.Where(l => l.At >= from && l.At < to).Select(l => l.Ms).OrderBy(x => x).ToList();
        if (ms.Count == 0) return double.NaN;
        return ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(p / 100 * ms.Count) - 1)];
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop != null) await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoadIdsAsync()
    {
        using var connection = new MySqlConnection(_data);
        await connection.OpenAsync().ConfigureAwait(false);
        async Task<List<byte[]>> Ids(string sql)
        {
            var ids = new List<byte[]>();
            using var command = new MySqlCommand(sql, connection);
            using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false)) ids.Add((byte[])reader.GetValue(0));
            return ids;
        }

        _offers = await Ids("SELECT id FROM flyokai_seller_offer").ConfigureAwait(false);
        _prices = await Ids("SELECT id FROM flyokai_seller_offer_price").ConfigureAwait(false);
        _mails = await Ids("SELECT id FROM flyokai_mail").ConfigureAwait(false);
        _sellers = await Ids("SELECT id FROM flyokai_seller").ConfigureAwait(false);
    }

    private void Run()
    {
        try
        {
            using var data = new MySqlConnection(_data);
            using var gate = new MySqlConnection(_shopware);
            data.Open();
            gate.Open();
            var interval = TimeSpan.FromSeconds(1 / _rate);
            var clock = Stopwatch.StartNew();
            long n = 0;
            while (!_stop.IsCancellationRequested)
            {
                var due = TimeSpan.FromTicks(interval.Ticks * n++);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero) Thread.Sleep(wait);
                else if (-wait > TimeSpan.FromSeconds(1)) n = (long)(clock.Elapsed.Ticks / interval.Ticks);   // fell far behind (a stall): do not burst to catch up
                if (!Once(data, gate)) return;
            }
        }
        catch (Exception ex)
        {
            Failure = ex;
        }
    }

    /// <summary>One transaction; false once the gate is set.</summary>
    private bool Once(MySqlConnection data, MySqlConnection gate)
    {
        var at = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        var transaction = data.BeginTransaction();
        try
        {
            Execute(data, transaction, "SELECT 1 FROM flyokai_seller_group LIMIT 1");   // the snapshot opens: the drain proof sees this transaction from here on
            using (var check = new MySqlCommand("SELECT CAST(configuration_value AS CHAR) FROM system_config WHERE configuration_key = 'FlyokaiMarketplaceRemote.config.maintenance' AND sales_channel_id IS NULL", gate))
            {
                if ((check.ExecuteScalar() as string ?? string.Empty).Replace(" ", string.Empty).Contains("true"))
                {
                    transaction.Rollback();
                    GateSeenAt = DateTime.UtcNow;
                    return false;
                }
            }

            var kind = Write(data, transaction);
            transaction.Commit();
            Committed++;
            _counts[kind] = _counts.TryGetValue(kind, out var c) ? c + 1 : 1;
            lock (_latencies) _latencies.Add((at, watch.Elapsed.TotalMilliseconds, kind));
            return true;
        }
        catch (MySqlException ex) when (ex.Number is 1213 or 1205 or 1451 or 1452 or 1062)
        {
            // Refused: a deadlock, a lock wait, a restricted delete, a key another writer took. On Galera a deadlock is
            // also a transaction aborted by another node's write-set or by a DDL run in total order (a capture trigger
            // installed or dropped); the application retries it, as it must on Galera. Nothing of it was committed.
            Refused++;
            try { transaction.Rollback(); } catch (MySqlException) { }   // Galera answers a BF-aborted transaction's rollback with the deadlock again
            return true;
        }
        finally
        {
            try { transaction.Dispose(); } catch (MySqlException) { }
        }
    }

    private string Write(MySqlConnection c, MySqlTransaction t)
    {
        var roll = _random.Next(100);
        if (roll < 30 && _offers.Count > 0)
        {
            Execute(c, t, "UPDATE flyokai_seller_offer SET price = IF(price > 99999.0000, 1.0000, price + 0.0100), stock = IF(stock > 1000000, 0, stock + 1), updated_at = UTC_TIMESTAMP() WHERE id = @a", Pick(_offers));
            return "update";
        }

        if (roll < 42 && _offers.Count > 0)
        {
            var id = NewId();
            Execute(c, t, "INSERT INTO flyokai_seller_offer_price (id, offer_id, quantity_start, quantity_end, price) VALUES (@a, @b, @n, NULL, 7.5000)", id, Pick(_offers), _random.Next(1000, int.MaxValue));
            _prices.Add(id);
            return "insert";
        }

        if (roll < 50 && _prices.Count > 0)
        {
            Execute(c, t, "DELETE FROM flyokai_seller_offer_price WHERE id = @a", Take(_prices));
            return "delete";
        }

        if (roll < 60 && _prices.Count > 0)
        {
            var old = Take(_prices);
            var id = NewId();
            Execute(c, t, "UPDATE flyokai_seller_offer_price SET id = @b WHERE id = @a", old, id);
            _prices.Add(id);
            return "key-change";
        }

        if (roll < 68 && _mails.Count > 0)
        {
            Execute(c, t, "INSERT INTO flyokai_mail_pending_send (mail_id, attempts) VALUES (@a, 0)", Pick(_mails));
            return "insert-auto-increment";
        }

        if (roll < 72)
        {
            Execute(c, t, "DELETE FROM flyokai_mail_pending_send ORDER BY id LIMIT 1");
            return "delete";
        }

        if (roll < 78 && _sellers.Count > 1)
        {
            // A unique value moves from one row to another inside one transaction.
            // Two sellers swap their slugs (a unique key) inside one transaction.
            var (a, b) = (Pick(_sellers), Pick(_sellers));
            if (a.SequenceEqual(b)) return Write(c, t);
            var slugA = Scalar(c, t, "SELECT slug FROM flyokai_seller WHERE id = @a FOR UPDATE", a);
            var slugB = Scalar(c, t, "SELECT slug FROM flyokai_seller WHERE id = @a FOR UPDATE", b);
            if (slugA is null || slugB is null) return Write(c, t);
            Execute(c, t, "UPDATE flyokai_seller SET slug = CONCAT('swap-', HEX(id)) WHERE id = @a", a);
            Execute(c, t, "UPDATE flyokai_seller SET slug = @b WHERE id = @a", b, slugA);
            Execute(c, t, "UPDATE flyokai_seller SET slug = @b WHERE id = @a", a, slugB);
            return "unique-move";
        }

        if (roll < 86)
        {
            FreshSeller(c, t);
            return "insert-tree";
        }

        if (roll < 91 && _freshSellers.Count > 0)
        {
            Execute(c, t, "DELETE FROM flyokai_seller WHERE id = @a", Take(_freshSellers));
            return "cascade-delete";
        }

        if (roll < 94 && _offers.Count > 20)
        {
            var offer = Take(_offers);
            Execute(c, t, "DELETE FROM flyokai_seller_offer WHERE id = @a", offer);   // cascades to prices and stock, sets order lines' offer_id NULL
            return "cascade-delete";
        }

        if (roll < 96 && _mails.Count > 5)
        {
            Execute(c, t, "DELETE FROM flyokai_mail WHERE id = @a", Take(_mails));   // cascades to recipients and sends, sets replies' reply_to_id NULL
            return "cascade-delete";
        }

        if (roll < 98 && _sellers.Count > 0)
        {
            var group = NewId();
            Execute(c, t, "INSERT INTO flyokai_seller_group (id, name, created_at) VALUES (@a, CONCAT('live-', HEX(@a)), UTC_TIMESTAMP())", group);
            Execute(c, t, "UPDATE flyokai_seller SET group_id = @a WHERE id = @b", group, Pick(_sellers));
            _groups.Add(group);
            return "insert";
        }

        if (_groups.Count > 0)
        {
            Execute(c, t, "DELETE FROM flyokai_seller_group WHERE id = @a", Take(_groups));   // sets the sellers' group_id NULL
            return "cascade-set-null";
        }

        Execute(c, t, "UPDATE flyokai_seller_offer SET stock = stock - 1 WHERE id = @a", Pick(_offers));
        return "update";
    }

    private void FreshSeller(MySqlConnection c, MySqlTransaction t)
    {
        var (seller, source, offer, profile, service) = (NewId(), NewId(), NewId(), NewId(), NewId());
        Execute(c, t, "INSERT INTO flyokai_seller (id, user_id, status, slug, contact, created_at) VALUES (@a, @b, 'active', CONCAT('live-', HEX(@a)), '{\"live\": true}', UTC_TIMESTAMP())", seller, NewId());
        Execute(c, t, "INSERT INTO flyokai_seller_address (id, seller_id, type, street, zipcode, city, country_iso, created_at) VALUES (@a, @b, 'billing', 'Live 1', '10115', 'Berlin', 'DE', UTC_TIMESTAMP())", NewId(), seller);
        Execute(c, t, "INSERT INTO flyokai_seller_stock_source (id, seller_id, name, is_default, created_at) VALUES (@a, @b, 'Live', 1, UTC_TIMESTAMP())", source, seller);
        Execute(c, t, "INSERT INTO flyokai_seller_offer (id, seller_id, product_id, product_version_id, price, stock, created_at) VALUES (@a, @b, @n, @n, 1.2500, 3, UTC_TIMESTAMP())", offer, seller, NewId());
        Execute(c, t, "INSERT INTO flyokai_seller_offer_price (id, offer_id, quantity_start, price) VALUES (@a, @b, 1, 1.2500)", NewId(), offer);
        Execute(c, t, "INSERT INTO flyokai_seller_offer_stock (offer_id, stock_source_id, quantity) VALUES (@a, @b, 3)", offer, source);
        Execute(c, t, "INSERT INTO flyokai_shipping_profile (id, seller_id, name, is_default, created_at) VALUES (@a, @b, 'Live', 1, UTC_TIMESTAMP())", profile, seller);
        Execute(c, t, "INSERT INTO flyokai_shipping_profile_service (id, profile_id, service_id) SELECT @a, @b, id FROM flyokai_shipping_service ORDER BY sort_order LIMIT 1", service, profile);
        Execute(c, t, "INSERT INTO flyokai_shipping_profile_service_carrier (id, profile_service_id, shipping_method_id, price, currency_iso) SELECT @a, id, @n, 3.9900, 'EUR' FROM flyokai_shipping_profile_service WHERE id = @b", NewId(), service, NewId());
        _freshSellers.Add(seller);
    }

    private static string? Scalar(MySqlConnection connection, MySqlTransaction transaction, string sql, byte[] id)
    {
        using var command = new MySqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("@a", id);
        return command.ExecuteScalar() as string;
    }

    private static void Execute(MySqlConnection connection, MySqlTransaction transaction, string sql, params object[] values)
    {
        using var command = new MySqlCommand(sql, connection, transaction);
        var names = new[] { "@a", "@b", "@n" };
        for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue(names[i], values[i]);
        command.ExecuteNonQuery();
    }

    private byte[] NewId()
    {
        var id = new byte[16];
        _random.NextBytes(id);
        return id;
    }

    private byte[] Pick(List<byte[]> ids) => ids[_random.Next(ids.Count)];

    private byte[] Take(List<byte[]> ids)
    {
        var i = _random.Next(ids.Count);
        var id = ids[i];
        ids[i] = ids[ids.Count - 1];
        ids.RemoveAt(ids.Count - 1);
        return id;
    }
}
