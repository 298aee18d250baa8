using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// Loads a small, realistic and hostile data plane: sellers with groups, addresses, branding, offers
/// with tiered prices and stock per source, orders, statements, payouts, mail threads (with
/// replies to replies) and an outbox with an AUTO_INCREMENT gap; BINARY(16) ids with 0x00, 0x0A, 0x5C,
/// 0x27 bytes and trailing zeros, JSON with escapes and emoji, DECIMAL extremes, NULLs everywhere they
/// are allowed. Deterministic for a seed.
/// </summary>
public static class DataPlaneSeeder
{
    public static async Task SeedAsync(TestDatabase db, int sellers = 40, int seed = 7, bool typeProbe = false)
    {
        var random = new Random(seed);
        await using var connection = await db.OpenAsync();
        await Exec(connection, "SET SESSION foreign_key_checks = 0, SESSION time_zone = '+00:00'");
        byte[] Id(int kind, int n)
        {
            var id = new byte[16];
            random.NextBytes(id);
            id[0] = (byte)kind;
            id[1] = (byte)(n >> 8);
            id[2] = (byte)n;
            id[3] = (n % 5) switch { 0 => 0x00, 1 => 0x0A, 2 => 0x5C, 3 => 0x27, _ => 0x1A };
            if (n % 7 == 0) { id[14] = 0; id[15] = 0; }
            return id;
        }

        var groups = Enumerable.Range(0, 4).Select(i => Id(1, i)).ToList();
        await Insert(connection, "flyokai_seller_group", new[] { "id", "name", "commission_percent", "created_at" },
            groups.Select((g, i) => new object?[] { g, $"Group {i} \"premium\" 🚀", i == 0 ? null : 7.5m + i, new DateTime(2024, 1, 1 + i) }));
        var sellerIds = new List<byte[]>();
        var rows = new List<object?[]>();
        for (var i = 0; i < sellers; i++)
        {
            var id = Id(2, i);
            sellerIds.Add(id);
            rows.Add(new object?[] { id, Id(3, i), i % 3 == 0 ? null : groups[i % groups.Count], i % 9 == 0 ? "suspended" : "active", i % 4 == 0 ? null : 12.3456m,
                $"seller-{i}", i % 5 == 0 ? null : $"{{\"email\":\"s{i}@example.com\",\"phone\":\"+49 {i}\",\"note\":\"tab\\tquote\\\"back\\\\slash ✓ 𝄞\",\"n\":{i}.50}}",
                new DateTime(2024, 2, 1).AddHours(i * 7), i % 2 == 0 ? null : new DateTime(2025, 3, 1).AddMinutes(i) });
        }

        await Insert(connection, "flyokai_seller", new[] { "id", "user_id", "group_id", "status", "commission_percent", "slug", "contact", "created_at", "updated_at" }, rows);
        await Insert(connection, "flyokai_seller_address", new[] { "id", "seller_id", "type", "company", "street", "zipcode", "city", "country_iso", "created_at" },
            sellerIds.SelectMany((s, i) => new[] { "billing", "shipping" }.Select((t, j) => new object?[] { Id(4, i * 2 + j), s, t, j == 0 ? null : "Müller & Söhne GmbH", $"Straße {i}\nHinterhaus", "10115", "Zürich", i % 2 == 0 ? "DE" : "CH", new DateTime(2024, 5, 5) })));
        await Insert(connection, "flyokai_seller_branding", new[] { "seller_id", "store_name", "logo_media_id", "description", "theme" },
            sellerIds.Select((s, i) => new object?[] { s, $"Store {i} 🛒", i % 3 == 0 ? null : Id(5, i), i % 4 == 0 ? "" : string.Concat(Enumerable.Repeat("Long description with \\N and 'quotes' and emoji 😀. ", 40)), "{\"primary\":\"#ff0000\",\"fonts\":[\"Inter\",\"Noto Sans\"]}" }));
        await Insert(connection, "flyokai_seller_payout_config", new[] { "seller_id", "account_holder", "iban", "swift" },
            sellerIds.Where((_, i) => i % 2 == 0).Select((s, i) => new object?[] { s, $"Holder {i}", $"DE8937040044053201300{i % 10}", i % 3 == 0 ? null : "COBADEFFXXX" }));
        var sources = sellerIds.Select((s, i) => (Id: Id(6, i), Seller: s)).ToList();
        await Insert(connection, "flyokai_seller_stock_source", new[] { "id", "seller_id", "name", "address", "is_default", "created_at" },
            sources.Select((x, i) => new object?[] { x.Id, x.Seller, $"Warehouse {i}", "{\"city\":\"Berlin\"}", 1, new DateTime(2024, 6, 1) }));
        var services = Enumerable.Range(0, 3).Select(i => Id(7, i)).ToList();
        await Insert(connection, "flyokai_shipping_service", new[] { "id", "code", "name", "sort_order" }, services.Select((s, i) => new object?[] { s, $"tier-{i}", i == 0 ? "Standard" : "Expedited", i }));
        var profiles = sellerIds.Select((s, i) => (Id: Id(8, i), Seller: s)).ToList();
        await Insert(connection, "flyokai_shipping_profile", new[] { "id", "seller_id", "name", "is_default", "created_at" }, profiles.Select((p, i) => new object?[] { p.Id, p.Seller, "Default", 1, new DateTime(2024, 7, 1) }));
        var profileServices = profiles.SelectMany((p, i) => services.Take(2).Select((s, j) => (Id: Id(9, i * 2 + j), Profile: p.Id, Service: s))).ToList();
        await Insert(connection, "flyokai_shipping_profile_service", new[] { "id", "profile_id", "service_id" }, profileServices.Select(x => new object?[] { x.Id, x.Profile, x.Service }));
        await Insert(connection, "flyokai_shipping_profile_service_carrier", new[] { "id", "profile_service_id", "shipping_method_id", "price", "currency_iso" },
            profileServices.Select((x, i) => new object?[] { Id(10, i), x.Id, Id(11, i), 4.99m + i % 3, "EUR" }));

        var offers = new List<(byte[] Id, byte[] Seller, byte[] Source)>();
        for (var i = 0; i < sellers * 5; i++) offers.Add((Id(12, i), sellerIds[i % sellers], sources[i % sellers].Id));
        await Insert(connection, "flyokai_seller_offer", new[] { "id", "seller_id", "product_id", "product_version_id", "status", "price", "stock", "created_at", "updated_at" },
            offers.Select((o, i) => new object?[] { o.Id, o.Seller, Id(13, i), Id(14, 0), i % 6 == 0 ? "pending_approval" : "active", i % 11 == 0 ? 99999999.9999m : 0.0001m * (i + 1), i % 13 == 0 ? -3 : i, new DateTime(2024, 8, 1).AddMinutes(i), null }));
        await Insert(connection, "flyokai_seller_offer_price", new[] { "id", "offer_id", "quantity_start", "quantity_end", "price" },
            offers.SelectMany((o, i) => new[] { 1u, 10u }.Select((q, j) => new object?[] { Id(15, i * 2 + j), o.Id, q, j == 0 ? 9u : null, 19.99m - j })));
        await Insert(connection, "flyokai_seller_offer_stock", new[] { "offer_id", "stock_source_id", "quantity", "updated_at" },
            offers.Select((o, i) => new object?[] { o.Id, o.Source, i % 50, i % 2 == 0 ? null : new DateTime(2025, 1, 1) }));

        var statements = sellerIds.Select((s, i) => (Id: Id(16, i), Seller: s)).ToList();
        await Insert(connection, "flyokai_statement", new[] { "id", "seller_id", "period_from", "period_to", "total_sales", "total_commission", "payout_amount", "status", "created_at" },
            statements.Select((st, i) => new object?[] { st.Id, st.Seller, new DateTime(2025, 1, 1), new DateTime(2025, 1, 31), 1234.5678m, 123.4567m, 1111.1111m, i % 2 == 0 ? "paid" : "closed", new DateTime(2025, 2, 1) }));
        var payouts = statements.Where((_, i) => i % 2 == 0).Select((st, i) => (Id: Id(17, i), st.Id, st.Seller)).ToList();
        await Insert(connection, "flyokai_payout", new[] { "id", "statement_id", "seller_id", "amount", "status", "bank_snapshot", "executed_at", "created_at" },
            payouts.Select((p, i) => new object?[] { p.Item1, p.Item2, p.Seller, 1111.1111m, "completed", "{\"iban\":\"DE89370400440532013000\",\"holder\":\"Jörg\"}", new DateTime(2025, 2, 2, 10, 0, 0), new DateTime(2025, 2, 2) }));
        var orders = new List<(byte[] Id, byte[] Seller)>();
        for (var i = 0; i < sellers * 4; i++) orders.Add((Id(18, i), sellerIds[i % sellers]));
        await Insert(connection, "flyokai_purchase_order", new[] { "id", "seller_id", "order_id", "order_version_id", "order_number", "status", "total_net", "total_gross", "commission_amount", "payout_id", "created_at" },
            orders.Select((o, i) => new object?[] { o.Id, o.Seller, Id(19, i), Id(14, 0), $"SW{10000 + i}", i % 5 == 0 ? "cancelled" : "delivered", 100m + i, 119m + i, 12.34m, i % 3 == 0 && payouts.Count > 0 ? payouts[i % payouts.Count].Item1 : null, new DateTime(2025, 1, 2).AddHours(i) }));
        await Insert(connection, "flyokai_purchase_order_line", new[] { "id", "purchase_order_id", "offer_id", "label", "quantity", "unit_price", "commission_percent", "payload" },
            orders.SelectMany((o, i) => Enumerable.Range(0, 2).Select(j => new object?[] { Id(20, i * 2 + j), o.Id, j == 1 ? null : offers[(i + j) % offers.Count].Id, $"Item {i}/{j} — ½ Preis", 1 + j, 9.9999m, 12.5m, j == 0 ? "{\"options\":{\"size\":\"XL\",\"color\":\"blau\"}}" : null })));
        await Insert(connection, "flyokai_statement_line", new[] { "id", "statement_id", "purchase_order_id", "amount", "commission" },
            orders.Select((o, i) => new object?[] { Id(21, i), statements[i % sellers].Id, o.Id, 100m, 12m }));

        var chains = Enumerable.Range(0, sellers).Select(i => Id(22, i)).ToList();
        await Insert(connection, "flyokai_chain", new[] { "id", "sender_user_id", "recipient_user_id", "subject", "created_at" }, chains.Select((c, i) => new object?[] { c, Id(3, i), Id(3, 0), $"Question about order SW{10000 + i} 🤔", new DateTime(2025, 3, 3) }));
        var mails = new List<byte[]>();
        var mailRows = new List<object?[]>();
        for (var i = 0; i < sellers * 3; i++)
        {
            var id = Id(23, i);
            mailRows.Add(new object?[] { id, chains[i / 3], i % 3 == 0 ? null : mails[i - 1], Id(3, i % sellers), i % 10 == 0 ? "" : $"Hello,\r\nline two\twith tab and \\N literal and 𝄞 music.\nRegards {i}", i % 4 == 0 ? null : "[{\"name\":\"invoice.pdf\",\"size\":1024}]", new DateTime(2025, 3, 3, 12, 0, 0).AddMilliseconds(i * 1001) });
            mails.Add(id);
        }

        await Insert(connection, "flyokai_mail", new[] { "id", "chain_id", "reply_to_id", "sender_user_id", "body", "attachments", "created_at" }, mailRows);
        await Insert(connection, "flyokai_mail_recipient", new[] { "mail_id", "recipient_user_id", "unread", "read_at" },
            mails.SelectMany((m, i) => new[] { Id(3, 0), Id(3, (i + 1) % sellers) }.Select((r, j) => new object?[] { m, r, (i + j) % 2, (i + j) % 2 == 1 ? null : new DateTime(2025, 3, 4) })).GroupBy(r => Convert.ToHexString((byte[])r[0]!) + Convert.ToHexString((byte[])r[1]!)).Select(g => g.First()));
        await Insert(connection, "flyokai_mail_pending_send", new[] { "id", "mail_id", "attempts", "next_attempt_at", "created_at" },
            mails.Take(12).Select((m, i) => new object?[] { (ulong)(i + 1), m, (ushort)(i % 3), new DateTime(2025, 3, 5), new DateTime(2025, 3, 5) }));
        // Deleted top rows leave the counter above max(id): the copy must carry it, or ids would be reused.
        await Exec(connection, "DELETE FROM flyokai_mail_pending_send WHERE id > 9");

        if (typeProbe) await SeedTypeProbeAsync(connection, random);
    }

    private static async Task SeedTypeProbeAsync(MySqlConnection connection, Random random)
    {
        var rows = new List<object?[]>();
        for (var i = 0; i < 300; i++)
        {
            var id = new byte[16];
            random.NextBytes(id);
            if (i % 4 == 0) Array.Clear(id, 8, 8);
            var blob = new byte[i % 50];
            random.NextBytes(blob);
            if (blob.Length > 3) { blob[0] = 0x00; blob[1] = 0x0A; blob[2] = 0x5C; blob[3] = 0x27; }
            rows.Add(new object?[]
            {
                id, (ulong)(i == 299 ? ulong.MaxValue : (ulong)i * 1_000_003UL), i % 10 == 0 ? null : blob, i % 7 == 0 ? Array.Empty<byte>() : blob.Take(20).ToArray(),
                i % 6 == 0 ? null : $"{{\"b\":2,\"a\":[1,2.50,\"x\\\"y\"],\"u\":\"\\u00e9 😀\",\"z\":null,\"n\":{i}e0}}",
                i % 9 == 0 ? null : (i % 2 == 0 ? -99999999999999.999999m : 12345.678901m),
                i % 5 == 0 ? "99999999999999999999999999999999999.999999999999999999999999999999" : "0.000000000000000000000000000001",
                i % 8 == 0 ? new DateTime(1000, 1, 1) : new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(-(i * 10)),
                i % 3 == 0 ? null : new DateTime(2038, 1, 19, 3, 14, 7).AddTicks(-(i * 1230)),
                new DateTime(2024, 2, 29), i % 4 == 0 ? TimeSpan.FromHours(-838).Add(TimeSpan.FromSeconds(1)) : TimeSpan.FromMilliseconds(i * 12345),
                (ulong)(i % 1024), i % 4 == 0 ? null : new[] { "simple", "variant", "bundle" }[i % 3], i % 3 == 0 ? "" : "new,eco",
                i % 4 == 0 ? 1.7976931348623157e308 : i % 4 == 1 ? -2.2250738585072014e-308 : 0.1 * i, (float)(i * 0.3f),
                i % 11 == 0 ? null : $"Label {i} ✓ 𝄞 \\N 'q' \"dq\" \t tab", i % 2 == 0 ? new string('x', 70000) : "€ émoji 🚀 日本語 עברית",
            });
        }

        await Insert(connection, "flyokai_zz_type_probe",
            new[] { "id", "seq", "blob_value", "varbinary_value", "json_value", "money", "big_money", "precise_at", "stamped_at", "day", "duration", "flags", "kind", "tags", "ratio", "approx", "label", "body" }, rows);
    }

    private static async Task Exec(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task Insert(MySqlConnection connection, string table, string[] columns, IEnumerable<object?[]> rows)
    {
        foreach (var batch in rows.Chunk(200))
        {
            var sql = new StringBuilder($"INSERT INTO `{table}` ({string.Join(", ", columns.Select(c => "`" + c + "`"))}) VALUES ");
            await using var command = new MySqlCommand { Connection = connection };
            for (var r = 0; r < batch.Length; r++)
            {
                sql.Append(r == 0 ? "(" : ",(");
                for (var c = 0; c < columns.Length; c++)
                {
                    var name = $"@p{r}_{c}";
                    sql.Append(c == 0 ? name : "," + name);
                    command.Parameters.AddWithValue(name, batch[r][c]);
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync();
        }
    }
}
