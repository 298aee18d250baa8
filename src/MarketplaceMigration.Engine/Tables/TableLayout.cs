using System;
using System.Collections.Generic;
using System.Linq;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Schema;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>
/// How one table is copied and verified: its copied columns (generated ones are left to the target
/// to compute), its primary key (the chunking key) and the SQL built from them. Identifiers are
/// quoted; values always travel as parameters.
/// </summary>
public sealed class TableLayout
{
    private TableLayout(string table, IReadOnlyList<TableColumn> columns, IReadOnlyList<TableColumn> key)
    {
        Table = table;
        Quoted = SqlIdentifier.Quote(table);
        Columns = columns;
        Key = key;
    }

    /// <summary>Table name.</summary>
    public string Table { get; }

    /// <summary>Backtick-quoted table name.</summary>
    public string Quoted { get; }

    /// <summary>Copied columns in table order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>Primary-key columns in key order.</summary>
    public IReadOnlyList<TableColumn> Key { get; }

    /// <summary>JSON columns, hashed by content on the client.</summary>
    public IReadOnlyList<TableColumn> JsonColumns => Columns.Where(c => c.IsJson).ToList();

    /// <summary><c>`a`, `b`</c>: the key columns, for ORDER BY.</summary>
    public string KeyList => string.Join(", ", Key.Select(k => k.Quoted));

    /// <summary>The key columns as read for checkpoints.</summary>
    public string KeySelect => string.Join(", ", Key.Select(k => k.KeyExpression));

    /// <summary>Binds <c>@l0..</c> or <c>@h0..</c> for a key.</summary>
    public static void Bind(MySqlConnector.MySqlCommand command, string prefix, IReadOnlyList<KeyValue>? key)
    {
        if (command is null)
            throw new ArgumentNullException(nameof(command));
        if (key is null)
            return;
        for (var i = 0; i < key.Count; i++)
            command.Parameters.AddWithValue(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), key[i].ToParameter());
    }

    /// <summary>Builds the layout of a table from its (source) definition, or refuses a table the copy cannot carry exactly.</summary>
    public static TableLayout From(TableDefinition definition)
    {
        if (definition is null)
            throw new ArgumentNullException(nameof(definition));
        if (definition.PrimaryKey is null)
        {
            throw new MigrationException(
                ErrorIds.TableWithoutPrimaryKey,
                MigrationErrorKind.PreflightFailed,
                definition.Name,
                $"Table {definition.Name} has no primary key, so it cannot be copied and verified chunk by chunk with certainty.",
                $"add a primary key to {definition.Name} on both ends (a schema migration), or remove it from the table list."
            );
        }

        var unsupported = definition.Columns.FirstOrDefault(c =>
            c.Generated == GeneratedKind.None && c.Type.BaseType is "year" or "geometry" or "point" or "linestring" or "polygon"
        );
        if (unsupported != null)
        {
            throw new MigrationException(
                ErrorIds.UnsupportedColumnType,
                MigrationErrorKind.PreflightFailed,
                definition.Name + "." + unsupported.Name,
                $"Column {definition.Name}.{unsupported.Name} is of type {unsupported.Type}, which the bulk copy cannot carry exactly.",
                $"change the column to a supported type (for YEAR: SMALLINT) on both ends, or remove {definition.Name} from the table list."
            );
        }

        var columns = definition.Columns.Where(c => c.Generated == GeneratedKind.None).Select(c => new TableColumn(c)).ToList();
        var byName = columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var key = new List<TableColumn>();
        foreach (var part in definition.PrimaryKey.Parts)
        {
            if (part.Column is null || part.PrefixLength.HasValue || !byName.TryGetValue(part.Column, out var column))
            {
                throw new MigrationException(
                    ErrorIds.TableWithoutPrimaryKey,
                    MigrationErrorKind.PreflightFailed,
                    definition.Name,
                    $"The primary key of {definition.Name} ({definition.PrimaryKey.PartsText}) uses a prefix, an expression or a "
                        + "generated column, so it cannot order the copy.",
                    $"give {definition.Name} a primary key on whole stored columns, or remove it from the table list."
                );
            }

            key.Add(column);
        }

        return new TableLayout(definition.Name, columns, key);
    }

    /// <summary>
    /// <c>key &gt; @lo AND key &lt;= @hi</c> for a (possibly composite) key, in the expanded form that
    /// both servers turn into an index range: <c>(a &gt; @l0) OR (a = @l0 AND b &gt; @l1)</c>. Either
    /// bound may be absent. Parameters are named <c>@l0..</c> and <c>@h0..</c>.
    /// </summary>
    public string RangePredicate(bool hasLower, bool hasUpper)
    {
        var parts = new List<string>();
        if (hasLower)
            parts.Add("(" + Compare(">", "@l") + ")");
        if (hasUpper)
            parts.Add("(" + Compare("<=", "@h") + ")");
        return parts.Count == 0 ? "1=1" : string.Join(" AND ", parts);
    }

    /// <summary>
    /// The rows of <paramref name="count"/> keys: <c>`a` IN (@p0, @p1, ...)</c>, or for a composite key
    /// <c>(`a` = @p0_0 AND `b` = @p0_1) OR ...</c>; bind with <see cref="BindKeys"/>.
    /// </summary>
    public string KeyIn(int count, string prefix = "@p")
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (Key.Count == 1)
            return $"{Key[0].Quoted} IN ({string.Join(", ", Enumerable.Range(0, count).Select(i => Key[0].KeyParameter(prefix + i.ToString(inv))))})";
        return string.Join(
            " OR ",
            Enumerable
                .Range(0, count)
                .Select(i =>
                    "("
                    + string.Join(
                        " AND ",
                        Key.Select((k, j) => $"{k.Quoted} = {k.KeyParameter(prefix + i.ToString(inv) + "_" + j.ToString(inv))}")
                    )
                    + ")"
                )
        );
    }

    /// <summary>Binds the keys of <see cref="KeyIn"/>.</summary>
    public void BindKeys(MySqlConnector.MySqlCommand command, IReadOnlyList<IReadOnlyList<KeyValue>> keys, string prefix = "@p")
    {
        if (command is null)
            throw new ArgumentNullException(nameof(command));
        if (keys is null)
            throw new ArgumentNullException(nameof(keys));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        for (var i = 0; i < keys.Count; i++)
        {
            if (Key.Count == 1)
                command.Parameters.AddWithValue(prefix + i.ToString(inv), keys[i][0].ToParameter());
            else
                for (var j = 0; j < Key.Count; j++)
                    command.Parameters.AddWithValue(prefix + i.ToString(inv) + "_" + j.ToString(inv), keys[i][j].ToParameter());
        }
    }

    /// <summary><c>`a` = @k0 AND `b` = @k1</c>: one row by key.</summary>
    public string KeyEquals =>
        string.Join(
            " AND ",
            Key.Select((k, i) => $"{k.Quoted} = {k.KeyParameter("@k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))}")
        );

    private string Compare(string op, string prefix)
    {
        // a op x  ->  (a > x0) OR (a = x0 AND b > x1) ... with the last column using op itself.
        var strict = op.TrimEnd('=');
        var alternatives = new List<string>();
        for (var i = 0; i < Key.Count; i++)
        {
            var terms = new List<string>();
            for (var j = 0; j < i; j++)
                terms.Add($"{Key[j].Quoted} = {Key[j].KeyParameter(prefix + j)}");
            terms.Add($"{Key[i].Quoted} {(i == Key.Count - 1 ? op : strict)} {Key[i].KeyParameter(prefix + i)}");
            alternatives.Add(string.Join(" AND ", terms));
        }

        return string.Join(" OR ", alternatives.Select(a => "(" + a + ")"));
    }
}
