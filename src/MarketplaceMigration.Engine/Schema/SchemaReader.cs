using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>
/// Reads information_schema for a list of tables in the connection's database. The queries alias
/// every column, because MySQL 8 returns information_schema column names in upper case and some
/// values as binary strings; both are read the same way here.
/// </summary>
public static class SchemaReader
{
    /// <summary>Reads what information_schema says about <paramref name="tables"/>.</summary>
    public static async Task<SchemaSnapshot> ReadAsync(
        MySqlConnection connection,
        IReadOnlyList<string> tables,
        CancellationToken cancellationToken
    )
    {
        if (connection is null)
            throw new ArgumentNullException(nameof(connection));
        if (tables is null)
            throw new ArgumentNullException(nameof(tables));
        var version = Convert.ToString(
            await Scalar(connection, "SELECT VERSION()", tables, cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture
        ) ?? string.Empty;
        var flavor = ServerFlavor.FromVersion(version);
        var canonical = tables.ToDictionary(t => t, t => t, StringComparer.OrdinalIgnoreCase);
        string Name(string raw) => canonical.TryGetValue(raw, out var n) ? n : raw;

        var tableRows = await Query(
                connection,
                tables,
                "SELECT TABLE_NAME AS t, ENGINE AS e, TABLE_COLLATION AS c FROM information_schema.TABLES "
                    + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME IN ({0}) ORDER BY TABLE_NAME",
                r => new TableRow
                {
                    Table = Name(Str(r, 0)!),
                    Engine = Str(r, 1),
                    Collation = Str(r, 2),
                },
                cancellationToken
            )
            .ConfigureAwait(false);

        var columns = await Query(
                connection,
                tables,
                "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, "
                    + "NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_SET_NAME, COLLATION_NAME, EXTRA, GENERATION_EXPRESSION "
                    + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ({0}) ORDER BY TABLE_NAME, ORDINAL_POSITION",
                r => new ColumnRow
                {
                    Table = Name(Str(r, 0)!),
                    Name = Str(r, 1)!,
                    Position = (int)(Long(r, 2) ?? 0),
                    Default = Str(r, 3),
                    Nullable = Str(r, 4) == "YES",
                    DataType = Str(r, 5) ?? string.Empty,
                    ColumnType = Str(r, 6) ?? string.Empty,
                    CharacterMaximumLength = Long(r, 7),
                    NumericPrecision = Long(r, 8),
                    NumericScale = Long(r, 9),
                    DatetimePrecision = Long(r, 10),
                    CharacterSet = Str(r, 11),
                    Collation = Str(r, 12),
                    Extra = Str(r, 13) ?? string.Empty,
                    GenerationExpression = Str(r, 14),
                },
                cancellationToken
            )
            .ConfigureAwait(false);

        var expression = flavor.Product == ServerProduct.MySql ? "EXPRESSION" : "NULL";
        var indexes = await Query(
                connection,
                tables,
                $"SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, COLLATION, SUB_PART, INDEX_TYPE, {expression} "
                    + "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ({0}) ORDER BY "
                    + "TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                r => new IndexRow
                {
                    Table = Name(Str(r, 0)!),
                    Name = Str(r, 1)!,
                    NonUnique = Long(r, 2) == 1,
                    Sequence = (int)(Long(r, 3) ?? 0),
                    Column = Str(r, 4),
                    Collation = Str(r, 5),
                    SubPart = Long(r, 6),
                    IndexType = Str(r, 7) ?? "BTREE",
                    Expression = Str(r, 8),
                },
                cancellationToken
            )
            .ConfigureAwait(false);

        var foreignKeys = await Query(
                connection,
                tables,
                "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.ORDINAL_POSITION, k.REFERENCED_TABLE_NAME, "
                    + "k.REFERENCED_COLUMN_NAME, rc.UPDATE_RULE, rc.DELETE_RULE "
                    + "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS rc "
                    + "ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND rc.TABLE_NAME = k.TABLE_NAME AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
                    + "WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL AND k.TABLE_NAME IN ({0}) "
                    + "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
                r => new ForeignKeyRow
                {
                    Table = Name(Str(r, 0)!),
                    Name = Str(r, 1)!,
                    Column = Str(r, 2)!,
                    Position = (int)(Long(r, 3) ?? 0),
                    ReferencedTable = Str(r, 4)!,
                    ReferencedColumn = Str(r, 5)!,
                    UpdateRule = Str(r, 6) ?? "RESTRICT",
                    DeleteRule = Str(r, 7) ?? "RESTRICT",
                },
                cancellationToken
            )
            .ConfigureAwait(false);

        // MariaDB names check constraints per table (a JSON column's check is named after the column),
        // so it must be read with its TABLE_NAME; MySQL 8's CHECK_CONSTRAINTS has no TABLE_NAME, but its
        // names are unique per schema, so joining TABLE_CONSTRAINTS by name is exact there.
        var checkSql =
            flavor.Product == ServerProduct.MariaDb
                ? "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE "
                    + "CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME IN ({0}) ORDER BY 1, 2"
                : "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS cc JOIN "
                    + "information_schema.TABLE_CONSTRAINTS tc "
                    + "ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK' "
                    + "WHERE cc.CONSTRAINT_SCHEMA = DATABASE() AND tc.TABLE_NAME IN ({0}) ORDER BY 1, 2";
        var checks = await Query(
                connection,
                tables,
                checkSql,
                r => new CheckRow
                {
                    Table = Name(Str(r, 0)!),
                    Name = Str(r, 1)!,
                    Clause = Str(r, 2) ?? string.Empty,
                },
                cancellationToken
            )
            .ConfigureAwait(false);

        return new SchemaSnapshot
        {
            Flavor = flavor,
            Tables = tableRows,
            Columns = columns,
            Indexes = indexes,
            ForeignKeys = foreignKeys,
            Checks = checks,
        };
    }

    private static async Task<object?> Scalar(
        MySqlConnection connection,
        string sql,
        IReadOnlyList<string> tables,
        CancellationToken cancellationToken
    )
    {
        using var command = Command(connection, sql, tables);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<T>> Query<T>(
        MySqlConnection connection,
        IReadOnlyList<string> tables,
        string sql,
        Func<MySqlDataReader, T> map,
        CancellationToken cancellationToken
    )
    {
        var result = new List<T>();
        if (tables.Count == 0)
            return result;
        using var command = Command(connection, sql, tables);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            result.Add(map(reader));
        return result;
    }

    private static MySqlCommand Command(MySqlConnection connection, string sql, IReadOnlyList<string> tables)
    {
        var command = connection.CreateCommand();
        var names = new List<string>();
        for (var i = 0; i < tables.Count; i++)
        {
            names.Add("@t" + i.ToString(CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue(names[i], tables[i]);
        }

        command.CommandText = sql.Replace("{0}", string.Join(", ", names));
        return command;
    }

    private static string? Str(MySqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
            return null;
        var value = reader.GetValue(ordinal);
        return value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    private static long? Long(MySqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
            return null;
        var value = reader.GetValue(ordinal);
        if (value is byte[] bytes)
            value = Encoding.UTF8.GetString(bytes);
        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }
}
