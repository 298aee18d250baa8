using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>
/// Turns raw information_schema rows into canonical table definitions, removing what is not drift
/// between MariaDB and MySQL 8 (docs/schema.md):
/// integer display widths; <c>current_timestamp()</c> vs <c>CURRENT_TIMESTAMP</c>; MariaDB's quoted
/// literal defaults vs MySQL's bare ones; a NULL default of a nullable column vs no default;
/// MariaDB's JSON (longtext + <c>json_valid</c> check, utf8mb4_bin) vs MySQL's <c>json</c>;
/// <c>utf8</c> vs <c>utf8mb3</c>; NO ACTION vs RESTRICT foreign-key rules; introducers,
/// backticks and parentheses in expressions.
/// </summary>
public static class SchemaNormalizer
{
    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal) { "tinyint", "smallint", "mediumint", "int", "bigint" };
    private static readonly HashSet<string> Decimals = new(StringComparer.Ordinal) { "decimal" };
    private static readonly HashSet<string> Floats = new(StringComparer.Ordinal) { "float", "double" };
    private static readonly HashSet<string> Sized = new(StringComparer.Ordinal) { "char", "varchar", "binary", "varbinary" };
    private static readonly HashSet<string> Temporal = new(StringComparer.Ordinal) { "time", "datetime", "timestamp" };
    private static readonly HashSet<string> Numeric = new(StringComparer.Ordinal)
    {
        "tinyint",
        "smallint",
        "mediumint",
        "int",
        "bigint",
        "decimal",
        "float",
        "double",
        "year",
    };
    private static readonly Regex Parenthesised = new(@"^[a-z ]+\((\d+)(?:,(\d+))?\)", RegexOptions.CultureInvariant);
    private static readonly Regex JsonValid = new(@"^json_valid\(([^()]+)\)$", RegexOptions.CultureInvariant);
    private static readonly Regex OnUpdate = new(
        @"on update ((?:current_timestamp|now|localtimestamp|localtime)(?:\(\d*\))?)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase
    );
    private static readonly Regex NumberLiteral = new(
        @"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase
    );

    /// <summary>Canonical definitions of every table in the snapshot, keyed by name (case-insensitive).</summary>
    public static IReadOnlyDictionary<string, TableDefinition> Normalize(SchemaSnapshot snapshot)
    {
        if (snapshot is null)
            throw new ArgumentNullException(nameof(snapshot));
        var result = new Dictionary<string, TableDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in snapshot.Tables)
        {
            var name = table.Table;
            var checks = snapshot.Checks.Where(c => Same(c.Table, name)).ToList();
            var jsonColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var otherChecks = new List<CheckDefinition>();
            foreach (var check in checks)
            {
                var clause = SqlExpression.Canonical(check.Clause);
                var json = JsonValid.Match(clause);
                if (json.Success)
                    jsonColumns.Add(json.Groups[1].Value);
                else
                    otherChecks.Add(new CheckDefinition(check.Name, clause));
            }

            var columns = snapshot
                .Columns.Where(c => Same(c.Table, name))
                .OrderBy(c => c.Position)
                .Select(c => Column(snapshot.Flavor, c, jsonColumns.Contains(c.Name)))
                .ToList();

            var indexes = snapshot
                .Indexes.Where(i => Same(i.Table, name))
                .GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase)
                .Select(g => Index(g.OrderBy(r => r.Sequence).ToList()))
                .ToList();

            var foreignKeys = snapshot
                .ForeignKeys.Where(f => Same(f.Table, name))
                .GroupBy(f => f.Name, StringComparer.Ordinal)
                .Select(g => ForeignKey(g.OrderBy(r => r.Position).ToList()))
                .OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();

            result[name] = new TableDefinition
            {
                Name = name,
                Engine = table.Engine,
                Collation = CanonicalCharset(table.Collation),
                Columns = columns,
                PrimaryKey = indexes.FirstOrDefault(i => i.IsPrimary),
                Indexes = indexes.Where(i => !i.IsPrimary).OrderBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToList(),
                ForeignKeys = foreignKeys,
                Checks = otherChecks.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList(),
            };
        }

        return result;
    }

    /// <summary>The canonical column for one COLUMNS row.</summary>
    public static ColumnDefinition Column(ServerFlavor flavor, ColumnRow row, bool hasJsonCheck)
    {
        if (row is null)
            throw new ArgumentNullException(nameof(row));
        var type = Type(row, hasJsonCheck);
        var extra = row.Extra ?? string.Empty;
        var lowerExtra = extra.ToLowerInvariant();
        var generated =
            lowerExtra.Contains("virtual") ? GeneratedKind.Virtual
            : lowerExtra.Contains("stored") || lowerExtra.Contains("persistent") ? GeneratedKind.Stored
            : GeneratedKind.None;
        var onUpdate = OnUpdate.Match(extra);
        var isText = type.BaseType != "json" && row.CharacterSet != null;
        return new ColumnDefinition
        {
            Name = row.Name,
            Position = row.Position,
            Type = type,
            Nullable = row.Nullable,
            Default = generated == GeneratedKind.None ? Default(flavor, row, type) : null,
            OnUpdate = onUpdate.Success ? SqlExpression.Canonical(onUpdate.Groups[1].Value) : null,
            AutoIncrement = lowerExtra.Contains("auto_increment"),
            Generated = generated,
            GenerationExpression =
                generated != GeneratedKind.None && !string.IsNullOrEmpty(row.GenerationExpression)
                    ? SqlExpression.Canonical(row.GenerationExpression!)
                    : null,
            Charset = isText ? CanonicalCharset(row.CharacterSet) : null,
            Collation = isText ? CanonicalCharset(row.Collation) : null,
        };
    }

    /// <summary>The canonical type of one COLUMNS row.</summary>
    public static ColumnType Type(ColumnRow row, bool hasJsonCheck)
    {
        if (row is null)
            throw new ArgumentNullException(nameof(row));
        var dataType = row.DataType.ToLowerInvariant().Trim();
        var columnType = row.ColumnType.ToLowerInvariant().Trim();
        dataType = dataType switch
        {
            "integer" => "int",
            "bool" or "boolean" => "tinyint",
            "numeric" or "dec" or "fixed" => "decimal",
            "real" or "double precision" => "double",
            _ => dataType,
        };
        var unsigned = columnType.Contains(" unsigned");
        var zerofill = columnType.Contains(" zerofill");
        var paren = Parenthesised.Match(columnType);
        long? First() => paren.Success ? long.Parse(paren.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        long? Second() => paren.Success && paren.Groups[2].Success ? long.Parse(paren.Groups[2].Value, CultureInfo.InvariantCulture) : null;

        if (dataType == "json" || (dataType == "longtext" && hasJsonCheck))
            return new ColumnType { BaseType = "json" };
        if (Integers.Contains(dataType))
            return new ColumnType
            {
                BaseType = dataType,
                Unsigned = unsigned,
                Zerofill = zerofill,
            };
        if (Decimals.Contains(dataType))
        {
            return new ColumnType
            {
                BaseType = "decimal",
                Precision = row.NumericPrecision ?? First(),
                Scale = row.NumericScale ?? Second() ?? 0,
                Unsigned = unsigned,
                Zerofill = zerofill,
            };
        }

        if (Floats.Contains(dataType))
        {
            // Only an explicit (M,D) is part of the type; the precision information_schema reports otherwise is the storage default.
            return new ColumnType
            {
                BaseType = dataType,
                Precision = paren.Success ? First() : null,
                Scale = paren.Success ? Second() : null,
                Unsigned = unsigned,
                Zerofill = zerofill,
            };
        }

        if (dataType == "bit")
            return new ColumnType { BaseType = "bit", Length = First() ?? row.NumericPrecision ?? 1 };
        if (Sized.Contains(dataType))
            return new ColumnType { BaseType = dataType, Length = row.CharacterMaximumLength ?? First() };
        if (Temporal.Contains(dataType))
            return new ColumnType { BaseType = dataType, FractionalSeconds = row.DatetimePrecision ?? First() ?? 0 };
        if (dataType is "enum" or "set")
            return new ColumnType { BaseType = dataType, Values = EnumValues(row.ColumnType) };
        return new ColumnType { BaseType = dataType };
    }

    /// <summary>
    /// The canonical default. MariaDB quotes string literals (<c>'a'</c>) and spells a NULL default
    /// <c>NULL</c>; MySQL shows literals bare and marks expressions with DEFAULT_GENERATED.
    /// </summary>
    public static string? Default(ServerFlavor flavor, ColumnRow row, ColumnType type)
    {
        if (flavor is null)
            throw new ArgumentNullException(nameof(flavor));
        if (row is null)
            throw new ArgumentNullException(nameof(row));
        if (type is null)
            throw new ArgumentNullException(nameof(type));
        var raw = row.Default;
        if (raw is null)
            return null;
        var numeric = Numeric.Contains(type.BaseType);
        if (flavor.Product == ServerProduct.MariaDb)
        {
            if (raw == "NULL")
                return null;
            if (raw.Length >= 2 && raw[0] == '\'' && raw[raw.Length - 1] == '\'')
            {
                var literal = UnquoteMariaDb(raw);
                return numeric && NumberLiteral.IsMatch(literal) ? literal : Quote(literal);
            }

            if (raw.StartsWith("b'", StringComparison.OrdinalIgnoreCase))
                return raw.ToLowerInvariant();
            if (NumberLiteral.IsMatch(raw))
                return numeric ? raw : Quote(raw);
            return SqlExpression.Canonical(raw);
        }

        if ((row.Extra ?? string.Empty).IndexOf("DEFAULT_GENERATED", StringComparison.OrdinalIgnoreCase) >= 0)
            return SqlExpression.Canonical(raw);
        if (raw.StartsWith("b'", StringComparison.OrdinalIgnoreCase) && type.BaseType == "bit")
            return raw.ToLowerInvariant();
        if (numeric && NumberLiteral.IsMatch(raw))
            return raw;
        return Quote(raw);
    }

    private static IndexDefinition Index(List<IndexRow> rows)
    {
        var first = rows[0];
        return new IndexDefinition
        {
            Name = first.Name == "PRIMARY" ? "PRIMARY" : first.Name,
            Unique = !first.NonUnique,
            IndexType = (first.IndexType ?? "BTREE").ToUpperInvariant(),
            Parts = rows.Select(r => new IndexPart(
                    r.Column,
                    r.Column == null && r.Expression != null ? SqlExpression.Canonical(r.Expression) : null,
                    r.SubPart,
                    string.Equals(r.Collation, "D", StringComparison.OrdinalIgnoreCase)
                ))
                .ToList(),
        };
    }

    private static ForeignKeyDefinition ForeignKey(List<ForeignKeyRow> rows)
    {
        var first = rows[0];
        return new ForeignKeyDefinition
        {
            Name = first.Name,
            Columns = rows.Select(r => r.Column).ToList(),
            ReferencedTable = first.ReferencedTable,
            ReferencedColumns = rows.Select(r => r.ReferencedColumn).ToList(),
            OnUpdate = Rule(first.UpdateRule),
            OnDelete = Rule(first.DeleteRule),
        };
    }

    // InnoDB checks NO ACTION immediately, exactly like RESTRICT; MySQL 8 reports an omitted rule as NO ACTION, MariaDB as RESTRICT.
    private static string Rule(string rule)
    {
        var r = (rule ?? "RESTRICT").Trim().ToUpperInvariant();
        return r == "NO ACTION" ? "RESTRICT" : r;
    }

    /// <summary><c>utf8</c> is <c>utf8mb3</c> on both servers (spelled differently by version).</summary>
    public static string? CanonicalCharset(string? name)
    {
        if (name is null)
            return null;
        var n = name.ToLowerInvariant();
        if (n == "utf8")
            return "utf8mb3";
        return n.StartsWith("utf8_", StringComparison.Ordinal) ? "utf8mb3_" + n.Substring(5) : n;
    }

    private static string Quote(string literal) => "'" + literal.Replace("'", "''") + "'";

    private static string UnquoteMariaDb(string quoted)
    {
        var inner = quoted.Substring(1, quoted.Length - 2);
        var b = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if ((inner[i] == '\'' || inner[i] == '\\') && i + 1 < inner.Length && inner[i + 1] == inner[i])
                i++;
            else if (inner[i] == '\\' && i + 1 < inner.Length && inner[i + 1] == '\'')
                i++;
            b.Append(inner[i]);
        }

        return b.ToString();
    }

    /// <summary>The members of <c>enum('a','b')</c> or <c>set(...)</c>.</summary>
    public static IReadOnlyList<string> EnumValues(string columnType)
    {
        var values = new List<string>();
        var open = columnType.IndexOf('(');
        if (open < 0)
            return values;
        var i = open + 1;
        while (i < columnType.Length)
        {
            if (columnType[i] != '\'')
            {
                i++;
                continue;
            }
            var b = new StringBuilder();
            i++;
            while (i < columnType.Length)
            {
                if (columnType[i] == '\'' && i + 1 < columnType.Length && columnType[i + 1] == '\'')
                {
                    b.Append('\'');
                    i += 2;
                }
                else if (columnType[i] == '\'')
                {
                    i++;
                    break;
                }
                else
                {
                    b.Append(columnType[i]);
                    i++;
                }
            }

            values.Add(b.ToString());
        }

        return values;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
