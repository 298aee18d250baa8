using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>
/// Compares the canonical definitions of the data-plane tables on both ends and lists every
/// difference, each with its severity (docs/schema.md): anything that
/// changes which rows are valid or how they are stored is an Error; collation and charset are a
/// Warning, except on a column of a primary or unique key, where values distinct on one end can
/// collide on the other (an Error); column order, object names and check constraints are Warnings.
/// </summary>
public static class SchemaComparer
{
    private const string Present = "present";
    private const string Missing = "missing";

    /// <summary>Compares the listed tables, in list order.</summary>
    public static IReadOnlyList<SchemaDifference> Compare(
        IEnumerable<string> tables,
        IReadOnlyDictionary<string, TableDefinition> shopware,
        IReadOnlyDictionary<string, TableDefinition> cluster
    )
    {
        if (tables is null)
            throw new ArgumentNullException(nameof(tables));
        if (shopware is null)
            throw new ArgumentNullException(nameof(shopware));
        if (cluster is null)
            throw new ArgumentNullException(nameof(cluster));
        var diffs = new List<SchemaDifference>();
        foreach (var name in tables)
        {
            shopware.TryGetValue(name, out var s);
            cluster.TryGetValue(name, out var c);
            if (s == null || c == null)
            {
                diffs.Add(
                    new SchemaDifference(
                        name,
                        SchemaElementKind.Table,
                        null,
                        SchemaAspect.Presence,
                        s != null ? Present : Missing,
                        c != null ? Present : Missing,
                        DifferenceSeverity.Error,
                        $"Table {name} is missing on the {(s == null ? "Shopware" : "cluster")} end"
                            + (s == null && c == null ? " and on the cluster end." : ".")
                    )
                );
                continue;
            }

            CompareTable(new Collector(name, diffs), s, c);
        }

        return diffs;
    }

    private static void CompareTable(Collector d, TableDefinition s, TableDefinition c)
    {
        d.Value(SchemaElementKind.Table, null, SchemaAspect.Engine, s.Engine, c.Engine, DifferenceSeverity.Error);
        d.Value(SchemaElementKind.Table, null, SchemaAspect.DefaultCollation, s.Collation, c.Collation, DifferenceSeverity.Warning);

        var uniqueColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var index in new[] { s.PrimaryKey, c.PrimaryKey }.Concat(s.Indexes).Concat(c.Indexes))
        {
            if (index is { Unique: true })
                uniqueColumns.UnionWith(index.Parts.Where(p => p.Column != null).Select(p => p.Column!));
        }

        var clusterColumns = c.Columns.ToDictionary(x => x.Name, StringComparer.OrdinalIgnoreCase);
        var shopwareColumns = s.Columns.ToDictionary(x => x.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var sc in s.Columns)
        {
            if (clusterColumns.TryGetValue(sc.Name, out var cc))
                CompareColumn(d, sc, cc, uniqueColumns.Contains(sc.Name));
            else
                d.Presence(SchemaElementKind.Column, sc.Name, onShopware: true, DifferenceSeverity.Error);
        }

        foreach (var cc in c.Columns.Where(x => !shopwareColumns.ContainsKey(x.Name)))
        {
            d.Presence(SchemaElementKind.Column, cc.Name, onShopware: false, DifferenceSeverity.Error);
        }

        ComparePrimaryKey(d, s.PrimaryKey, c.PrimaryKey);
        CompareNamed(d, SchemaElementKind.Index, s.Indexes, c.Indexes, i => i.Name, (a, b) => a.SameShape(b), CompareIndex);
        CompareNamed(
            d,
            SchemaElementKind.ForeignKey,
            s.ForeignKeys,
            c.ForeignKeys,
            f => f.Name,
            (a, b) => a.SameShape(b),
            CompareForeignKey
        );
        CompareNamed(
            d,
            SchemaElementKind.Check,
            s.Checks,
            c.Checks,
            k => k.Name,
            (a, b) => a.Clause == b.Clause,
            (dd, a, b) => dd.Value(SchemaElementKind.Check, a.Name, SchemaAspect.Clause, a.Clause, b.Clause, DifferenceSeverity.Warning),
            DifferenceSeverity.Warning
        );
    }

    private static void CompareColumn(Collector d, ColumnDefinition s, ColumnDefinition c, bool inUniqueKey)
    {
        const SchemaElementKind K = SchemaElementKind.Column;
        var name = s.Name;
        if (s.Type.BaseType != c.Type.BaseType)
        {
            d.Value(K, name, SchemaAspect.DataType, s.Type.ToString(), c.Type.ToString(), DifferenceSeverity.Error);
        }
        else
        {
            d.Value(K, name, SchemaAspect.Length, Text(s.Type.Length), Text(c.Type.Length), DifferenceSeverity.Error);
            d.Value(K, name, SchemaAspect.Precision, Text(s.Type.Precision), Text(c.Type.Precision), DifferenceSeverity.Error);
            d.Value(K, name, SchemaAspect.Scale, Text(s.Type.Scale), Text(c.Type.Scale), DifferenceSeverity.Error);
            d.Value(
                K,
                name,
                SchemaAspect.FractionalSeconds,
                Text(s.Type.FractionalSeconds),
                Text(c.Type.FractionalSeconds),
                DifferenceSeverity.Error
            );
            d.Value(K, name, SchemaAspect.Unsigned, Flag(s.Type.Unsigned), Flag(c.Type.Unsigned), DifferenceSeverity.Error);
            d.Value(K, name, SchemaAspect.Zerofill, Flag(s.Type.Zerofill), Flag(c.Type.Zerofill), DifferenceSeverity.Error);
            d.Value(K, name, SchemaAspect.Values, s.Type.ValuesText, c.Type.ValuesText, DifferenceSeverity.Error);
        }

        d.Value(K, name, SchemaAspect.Nullable, Flag(s.Nullable), Flag(c.Nullable), DifferenceSeverity.Error);
        d.Value(K, name, SchemaAspect.Default, s.Default, c.Default, DifferenceSeverity.Error);
        d.Value(K, name, SchemaAspect.OnUpdate, s.OnUpdate, c.OnUpdate, DifferenceSeverity.Error);
        d.Value(K, name, SchemaAspect.AutoIncrement, Flag(s.AutoIncrement), Flag(c.AutoIncrement), DifferenceSeverity.Error);
        d.Value(K, name, SchemaAspect.Generated, s.Generated.ToString(), c.Generated.ToString(), DifferenceSeverity.Error);
        if (s.Generated == c.Generated)
            d.Value(K, name, SchemaAspect.GenerationExpression, s.GenerationExpression, c.GenerationExpression, DifferenceSeverity.Error);

        // Once the base type differs (json against longtext), charset and collation say nothing more.
        if (s.Type.BaseType == c.Type.BaseType)
        {
            var collationSeverity = inUniqueKey ? DifferenceSeverity.Error : DifferenceSeverity.Warning;
            var why = inUniqueKey
                ? " It is part of a primary or unique key, where values that are distinct on one end can collide on the other."
                : null;
            d.Value(K, name, SchemaAspect.Charset, s.Charset, c.Charset, collationSeverity, why);
            d.Value(K, name, SchemaAspect.Collation, s.Collation, c.Collation, collationSeverity, why);
        }

        d.Value(K, name, SchemaAspect.Position, Text(s.Position), Text(c.Position), DifferenceSeverity.Warning);
    }

    private static void ComparePrimaryKey(Collector d, IndexDefinition? s, IndexDefinition? c)
    {
        if (s == null && c == null)
            return;
        if (s == null || c == null)
        {
            d.Presence(SchemaElementKind.PrimaryKey, "PRIMARY", onShopware: s != null, DifferenceSeverity.Error);
            return;
        }

        d.Value(SchemaElementKind.PrimaryKey, "PRIMARY", SchemaAspect.Columns, s.PartsText, c.PartsText, DifferenceSeverity.Error);
    }

    private static void CompareIndex(Collector d, IndexDefinition s, IndexDefinition c)
    {
        d.Value(SchemaElementKind.Index, s.Name, SchemaAspect.Unique, Flag(s.Unique), Flag(c.Unique), DifferenceSeverity.Error);
        d.Value(SchemaElementKind.Index, s.Name, SchemaAspect.IndexType, s.IndexType, c.IndexType, DifferenceSeverity.Error);
        d.Value(SchemaElementKind.Index, s.Name, SchemaAspect.Columns, s.PartsText, c.PartsText, DifferenceSeverity.Error);
    }

    private static void CompareForeignKey(Collector d, ForeignKeyDefinition s, ForeignKeyDefinition c)
    {
        d.Value(SchemaElementKind.ForeignKey, s.Name, SchemaAspect.Columns, s.ColumnsText, c.ColumnsText, DifferenceSeverity.Error);
        d.Value(
            SchemaElementKind.ForeignKey,
            s.Name,
            SchemaAspect.ReferencedTable,
            s.ReferencedTable,
            c.ReferencedTable,
            DifferenceSeverity.Error
        );
        d.Value(
            SchemaElementKind.ForeignKey,
            s.Name,
            SchemaAspect.ReferencedColumns,
            s.ReferencedColumnsText,
            c.ReferencedColumnsText,
            DifferenceSeverity.Error
        );
        d.Value(SchemaElementKind.ForeignKey, s.Name, SchemaAspect.OnUpdate, s.OnUpdate, c.OnUpdate, DifferenceSeverity.Error);
        d.Value(SchemaElementKind.ForeignKey, s.Name, SchemaAspect.OnDelete, s.OnDelete, c.OnDelete, DifferenceSeverity.Error);
    }

    // Elements are matched by name; one present on a single end under a name, with an identical
    // definition under another name on the other end, is the same element renamed (a Warning).
    private static void CompareNamed<T>(
        Collector d,
        SchemaElementKind kind,
        IReadOnlyList<T> shopware,
        IReadOnlyList<T> cluster,
        Func<T, string> name,
        Func<T, T, bool> sameShape,
        Action<Collector, T, T> compare,
        DifferenceSeverity presenceSeverity = DifferenceSeverity.Error
    )
    {
        var byName = cluster.ToDictionary(name, StringComparer.OrdinalIgnoreCase);
        var shopwareNames = new HashSet<string>(shopware.Select(name), StringComparer.OrdinalIgnoreCase);
        var clusterOnly = cluster.Where(x => !shopwareNames.Contains(name(x))).ToList();
        foreach (var s in shopware)
        {
            if (byName.TryGetValue(name(s), out var c))
            {
                compare(d, s, c);
                continue;
            }

            var renamed = clusterOnly.FirstOrDefault(x => sameShape(s, x));
            if (renamed != null)
            {
                clusterOnly.Remove(renamed);
                d.Value(
                    kind,
                    name(s),
                    SchemaAspect.Name,
                    name(s),
                    name(renamed),
                    DifferenceSeverity.Warning,
                    " The definitions are identical."
                );
                continue;
            }

            d.Presence(kind, name(s), onShopware: true, presenceSeverity);
        }

        foreach (var c in clusterOnly)
            d.Presence(kind, name(c), onShopware: false, presenceSeverity);
    }

    private static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "yes" : "no";

    private sealed class Collector
    {
        private readonly string _table;
        private readonly List<SchemaDifference> _diffs;

        public Collector(string table, List<SchemaDifference> diffs)
        {
            _table = table;
            _diffs = diffs;
        }

        public void Value(
            SchemaElementKind kind,
            string? element,
            string aspect,
            string? shopware,
            string? cluster,
            DifferenceSeverity severity,
            string? why = null
        )
        {
            if (string.Equals(shopware, cluster, StringComparison.Ordinal))
                return;
            var what = element == null ? $"Table {_table}" : $"{Describe(kind)} {_table}.{element}";
            _diffs.Add(
                new SchemaDifference(
                    _table,
                    kind,
                    element,
                    aspect,
                    shopware,
                    cluster,
                    severity,
                    $"{what}: {aspect} differs (Shopware: {shopware ?? "none"}; cluster: {cluster ?? "none"}).{why}"
                )
            );
        }

        public void Presence(SchemaElementKind kind, string element, bool onShopware, DifferenceSeverity severity)
        {
            _diffs.Add(
                new SchemaDifference(
                    _table,
                    kind,
                    element,
                    SchemaAspect.Presence,
                    onShopware ? Present : Missing,
                    onShopware ? Missing : Present,
                    severity,
                    $"{Describe(kind)} {_table}.{element} exists only on the {(onShopware ? "Shopware" : "cluster")} end."
                )
            );
        }

        private static string Describe(SchemaElementKind kind) =>
            kind switch
            {
                SchemaElementKind.Column => "Column",
                SchemaElementKind.PrimaryKey => "Primary key",
                SchemaElementKind.Index => "Index",
                SchemaElementKind.ForeignKey => "Foreign key",
                SchemaElementKind.Check => "Check constraint",
                _ => "Table",
            };
    }
}
