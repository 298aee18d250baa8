using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Schema;

namespace MarketplaceMigration.Engine.Online;

/// <summary>One primary-key column as the changelog stores it: the source column's own type, character set and collation.</summary>
public sealed record CaptureKeyColumn(string Name, string ColumnType, string? Charset, string? Collation)
{
    /// <summary>The changelog's column definition.</summary>
    public string Ddl =>
        $"{SqlIdentifier.Quote(Name)} {ColumnType}"
        + (Charset != null ? $" CHARACTER SET {Charset}" : string.Empty)
        + (Collation != null ? $" COLLATE {Collation}" : string.Empty)
        + " NOT NULL";
}

/// <summary>
/// A foreign key along which the server changes child rows by itself (ON DELETE or ON UPDATE CASCADE
/// or SET NULL): triggers do not fire for those rows (MariaDB, MySQL before 9), so the parent's BEFORE
/// trigger logs them.
/// </summary>
public sealed record CascadeEdge(
    string Parent,
    string Child,
    IReadOnlyList<string> ChildColumns,
    IReadOnlyList<string> ParentColumns,
    bool OnDelete,
    bool OnUpdate
);

/// <summary>The capture of one table: its key, its changelog and the cascades it starts.</summary>
public sealed record CaptureTable(string Table, IReadOnlyList<CaptureKeyColumn> Key, IReadOnlyList<CascadeEdge> Cascades)
{
    /// <summary>The changelog table's name.</summary>
    public string Changelog => CaptureNames.Changelog(Table);
}

/// <summary>
/// What the capture of a set of tables consists of, read from the source's schema: each table's key
/// columns and the cascading foreign keys between the tables. A cascade into the set from a table
/// outside it would change rows that no trigger sees, so it is refused.
/// </summary>
public sealed class CapturePlan
{
    private CapturePlan(IReadOnlyList<CaptureTable> tables) => Tables = tables;

    /// <summary>The tables, in list order.</summary>
    public IReadOnlyList<CaptureTable> Tables { get; }

    /// <summary>A table's capture.</summary>
    public CaptureTable Of(string table) => Tables.First(t => t.Table == table);

    /// <summary>Reads the plan of <paramref name="tables"/> from the source.</summary>
    public static async Task<CapturePlan> ReadAsync(
        ConnectionTarget source,
        IReadOnlyList<string> tables,
        CancellationToken cancellationToken
    )
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        using var connection = await ConnectionFactory.OpenAsync(source, cancellationToken).ConfigureAwait(false);
        var snapshot = await SchemaReader.ReadAsync(connection, tables, cancellationToken).ConfigureAwait(false);
        return From(snapshot, tables);
    }

    /// <summary>The plan from a schema snapshot (also for captured rows in tests).</summary>
    public static CapturePlan From(SchemaSnapshot snapshot, IReadOnlyList<string> tables)
    {
        if (snapshot is null)
            throw new ArgumentNullException(nameof(snapshot));
        if (tables is null)
            throw new ArgumentNullException(nameof(tables));
        var definitions = SchemaNormalizer.Normalize(snapshot);
        var set = new HashSet<string>(tables, StringComparer.Ordinal);
        var edges = new List<CascadeEdge>();
        foreach (var table in tables)
        {
            if (!definitions.TryGetValue(table, out var definition))
            {
                throw new MigrationException(
                    ErrorIds.TableNotFound,
                    MigrationErrorKind.NotFound,
                    table,
                    $"Table {table} of the data plane does not exist on the source, so its changes cannot be captured.",
                    "create it with the schema migrations (Test-SchemaParity shows what differs), then rerun."
                );
            }

            foreach (var fk in definition.ForeignKeys)
            {
                var onDelete = Cascades(fk.OnDelete);
                var onUpdate = Cascades(fk.OnUpdate);
                if (!onDelete && !onUpdate)
                    continue;
                if (!set.Contains(fk.ReferencedTable))
                {
                    throw new MigrationException(
                        ErrorIds.OnlineNotPossible,
                        MigrationErrorKind.PreflightFailed,
                        table + "." + fk.Name,
                        $"Foreign key {fk.Name} of {table} cascades from {fk.ReferencedTable}, which is not in the data plane: "
                            + $"the server would change {table}'s rows without firing a trigger, so an online move could miss them.",
                        $"move without -Online (the offline move copies behind the gate), or add {fk.ReferencedTable} to the table list."
                    );
                }

                edges.Add(new CascadeEdge(fk.ReferencedTable, table, fk.Columns, fk.ReferencedColumns, onDelete, onUpdate));
            }
        }

        var captures = tables
            .Select(table =>
            {
                var definition = definitions[table];
                if (definition.PrimaryKey is null)
                {
                    throw new MigrationException(
                        ErrorIds.TableWithoutPrimaryKey,
                        MigrationErrorKind.PreflightFailed,
                        table,
                        $"Table {table} has no primary key, so its changed rows cannot be named in a changelog.",
                        $"add a primary key to {table} on both ends (a schema migration), or move without -Online."
                    );
                }

                var key = definition
                    .PrimaryKey.Parts.Select(p =>
                    {
                        var row = snapshot.Columns.First(c =>
                            c.Table == table && string.Equals(c.Name, p.Column, StringComparison.OrdinalIgnoreCase)
                        );
                        return new CaptureKeyColumn(row.Name, row.ColumnType, row.CharacterSet, row.Collation);
                    })
                    .ToList();
                return new CaptureTable(table, key, edges.Where(e => e.Parent == table).ToList());
            })
            .ToList();
        return new CapturePlan(captures);
    }

    private static bool Cascades(string rule) =>
        rule.Equals("CASCADE", StringComparison.OrdinalIgnoreCase) || rule.Equals("SET NULL", StringComparison.OrdinalIgnoreCase);
}
