using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// Checks that two databases hold the same rows without any of the module's code: every stored
/// column of every row read in primary-key order and compared value by value (bytes, exact decimal
/// text, doubles by bits, times to the microsecond), plus the server's own CHECKSUM TABLE.
/// </summary>
public static class IndependentCompare
{
    /// <summary>Rows compared, or an exception naming the first difference. <paramref name="sameStorage"/> false
    /// leaves out CHECKSUM TABLE, which compares stored bytes (columns in different character sets on the two ends).</summary>
    public static async Task<long> AssertEqualAsync(TestDatabase a, TestDatabase b, IEnumerable<string> tables, bool sameStorage = true)
    {
        long rows = 0;
        await using var left = await a.OpenAsync();
        await using var right = await b.OpenAsync();
        foreach (var c in new[] { left, right })
        {
            await using var tz = new MySqlCommand("SET SESSION time_zone = '+00:00'", c);
            await tz.ExecuteNonQueryAsync();
        }

        foreach (var table in tables)
        {
            var columns = await StoredColumnsAsync(left, table);
            // Decimals as exact text, floats widened to double: the text protocol prints FLOAT with 6 digits.
            var select = $"SELECT {string.Join(", ", columns.Select(c => c.Type == "decimal" ? $"CAST(`{c.Name}` AS CHAR)" : c.Type == "float" ? $"CAST(`{c.Name}` AS DOUBLE)" : $"`{c.Name}`"))} FROM `{table}` ORDER BY {await KeyAsync(left, table)}";
            var l = await ReadAllAsync(left, select);
            var r = await ReadAllAsync(right, select);
            if (l.Count != r.Count) throw new InvalidOperationException($"{table}: {l.Count} rows in {a.Name}, {r.Count} rows in {b.Name}");
            for (var i = 0; i < l.Count; i++)
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    if (!Same(l[i][c], r[i][c])) throw new InvalidOperationException($"{table} row {i} column {columns[c].Name}: '{Show(l[i][c])}' in {a.Name} but '{Show(r[i][c])}' in {b.Name}");
                }
            }

            if (sameStorage)
            {
                var checksumLeft = await ChecksumAsync(left, table);
                var checksumRight = await ChecksumAsync(right, table);
                if (checksumLeft != checksumRight) throw new InvalidOperationException($"{table}: CHECKSUM TABLE {checksumLeft} in {a.Name} but {checksumRight} in {b.Name}");
            }

            rows += l.Count;
        }

        return rows;
    }

    public static async Task<long> CountAsync(TestDatabase db, string table)
        => Convert.ToInt64(await db.ScalarAsync($"SELECT COUNT(*) FROM `{table}`"));

    private static async Task<List<(string Name, string Type)>> StoredColumnsAsync(MySqlConnection connection, string table)
    {
        var columns = new List<(string, string)>();
        await using var command = new MySqlCommand("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t AND EXTRA NOT LIKE '%GENERATED%' ORDER BY ORDINAL_POSITION", connection);
        command.Parameters.AddWithValue("@t", table);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1)));
        return columns;
    }

    private static async Task<string> KeyAsync(MySqlConnection connection, string table)
    {
        await using var command = new MySqlCommand("SELECT GROUP_CONCAT(CONCAT('`', COLUMN_NAME, '`') ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t AND INDEX_NAME = 'PRIMARY'", connection);
        command.Parameters.AddWithValue("@t", table);
        return Convert.ToString(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<object?[]>> ReadAllAsync(MySqlConnection connection, string sql)
    {
        var rows = new List<object?[]>();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<string> ChecksumAsync(MySqlConnection connection, string table)
    {
        await using var command = new MySqlCommand($"CHECKSUM TABLE `{table}` EXTENDED", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return Convert.ToString(reader.GetValue(1))!;
    }

    private static bool Same(object? x, object? y) => (x, y) switch
    {
        (null, null) => true,
        (byte[] p, byte[] q) => p.AsSpan().SequenceEqual(q),
        (double p, double q) => BitConverter.DoubleToInt64Bits(p) == BitConverter.DoubleToInt64Bits(q),
        (float p, float q) => BitConverter.SingleToInt32Bits(p) == BitConverter.SingleToInt32Bits(q),
        _ => Equals(x, y),
    };

    private static string Show(object? value) => value is byte[] b ? "0x" + Convert.ToHexString(b) : Convert.ToString(value) ?? "NULL";
}
