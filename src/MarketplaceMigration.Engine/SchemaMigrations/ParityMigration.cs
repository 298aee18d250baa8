using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Schema;
using MySqlConnector;

namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>
/// Writes the statements that bring one endpoint to the other's shape from Test-SchemaParity's
/// differences, using the reference end's own SHOW CREATE TABLE for every definition (so types,
/// defaults and collations are the server's words). Additions and changes go to the update part;
/// dropping columns and tables goes to the destructive part. For review before it is run.
/// </summary>
public static class ParityMigration
{
    /// <summary>The update and destructive statements that make <paramref name="change"/> look like the other endpoint.</summary>
    public static async Task<(IReadOnlyList<string> Update, IReadOnlyList<string> Destructive)> BuildAsync(ResolvedProfile resolved, EndpointRole change,
        IReadOnlyList<SchemaDifference> differences, CancellationToken cancellationToken)
    {
        if (resolved is null) throw new ArgumentNullException(nameof(resolved));
        if (differences is null) throw new ArgumentNullException(nameof(differences));
        var reference = change == EndpointRole.Shopware ? EndpointRole.Cluster : EndpointRole.Shopware;
        string? Mine(SchemaDifference d) => change == EndpointRole.Shopware ? d.ShopwareValue : d.ClusterValue;
        string? Theirs(SchemaDifference d) => change == EndpointRole.Shopware ? d.ClusterValue : d.ShopwareValue;

        using var mine = await ConnectionFactory.OpenAsync(resolved.For(change), cancellationToken).ConfigureAwait(false);
        using var theirs = await ConnectionFactory.OpenAsync(resolved.For(reference), cancellationToken).ConfigureAwait(false);
        var creates = new List<string>();
        var dropForeignKeys = new List<string>();
        var alters = new List<string>();
        var addForeignKeys = new List<string>();
        var destructive = new List<string>();
        foreach (var table in differences.GroupBy(d => d.Table, StringComparer.OrdinalIgnoreCase))
        {
            var name = table.Key;
            var quoted = SqlIdentifier.Quote(name);
            var presence = table.FirstOrDefault(d => d.Kind == SchemaElementKind.Table && d.Aspect == SchemaAspect.Presence);
            if (presence != null)
            {
                if (Mine(presence) == "missing")
                {
                    var create = Parse(await ShowCreateAsync(theirs, name, cancellationToken).ConfigureAwait(false));
                    creates.Add(create.WithoutForeignKeys());
                    addForeignKeys.AddRange(create.ForeignKeys.Values.Select(fk => $"ALTER TABLE {quoted} ADD {fk}"));
                }
                else
                {
                    destructive.Add($"DROP TABLE {quoted}");
                }

                continue;
            }

            var my = Parse(await ShowCreateAsync(mine, name, cancellationToken).ConfigureAwait(false));
            var their = Parse(await ShowCreateAsync(theirs, name, cancellationToken).ConfigureAwait(false));
            var clauses = new List<string>();
            foreach (var d in table.Where(d => d.Kind == SchemaElementKind.Table))
            {
                if (d.Aspect == SchemaAspect.Engine) clauses.Add($"ENGINE = {Theirs(d)}");
                else if (d.Aspect == SchemaAspect.DefaultCollation) clauses.Add($"DEFAULT COLLATE = {Theirs(d)}");
            }

            foreach (var element in table.Where(d => d.Kind is SchemaElementKind.ForeignKey or SchemaElementKind.Index or SchemaElementKind.PrimaryKey or SchemaElementKind.Check)
                         .GroupBy(d => (d.Kind, d.Element)))
            {
                var renamed = element.FirstOrDefault(d => d.Aspect == SchemaAspect.Name);
                var myName = renamed != null ? Mine(renamed)! : element.Key.Element!;
                var theirName = renamed != null ? Theirs(renamed)! : element.Key.Element!;
                switch (element.Key.Kind)
                {
                    case SchemaElementKind.ForeignKey:
                        if (my.ForeignKeys.ContainsKey(myName)) dropForeignKeys.Add($"ALTER TABLE {quoted} DROP FOREIGN KEY {SqlIdentifier.Quote(myName)}");
                        if (their.ForeignKeys.TryGetValue(theirName, out var fk)) addForeignKeys.Add($"ALTER TABLE {quoted} ADD {fk}");
                        break;
                    case SchemaElementKind.Check:
                        if (my.Checks.ContainsKey(myName)) clauses.Add($"DROP CONSTRAINT {SqlIdentifier.Quote(myName)}");
                        if (their.Checks.TryGetValue(theirName, out var check)) clauses.Add($"ADD {check}");
                        break;
                    default:
                        if (my.Keys.ContainsKey(myName)) clauses.Add(myName == "PRIMARY" ? "DROP PRIMARY KEY" : $"DROP INDEX {SqlIdentifier.Quote(myName)}");
                        break;
                }
            }

            foreach (var column in table.Where(d => d.Kind == SchemaElementKind.Column).GroupBy(d => d.Element!, StringComparer.OrdinalIgnoreCase))
            {
                if (!their.Columns.TryGetValue(column.Key, out var line))
                {
                    destructive.Add($"ALTER TABLE {quoted} DROP COLUMN {SqlIdentifier.Quote(column.Key)}");
                    continue;
                }

                var position = their.ColumnOrder.IndexOf(column.Key);
                var after = position <= 0 ? " FIRST" : " AFTER " + SqlIdentifier.Quote(their.ColumnOrder[position - 1]);
                clauses.Add((my.Columns.ContainsKey(column.Key) ? "MODIFY COLUMN " : "ADD COLUMN ") + line + after);
            }

            foreach (var element in table.Where(d => d.Kind is SchemaElementKind.Index or SchemaElementKind.PrimaryKey).GroupBy(d => d.Element))
            {
                var renamed = element.FirstOrDefault(d => d.Aspect == SchemaAspect.Name);
                var theirName = renamed != null ? Theirs(renamed)! : element.Key!;
                if (their.Keys.TryGetValue(theirName, out var key)) clauses.Add("ADD " + key);
            }

            if (clauses.Count > 0) alters.Add($"ALTER TABLE {quoted} " + string.Join(", ", clauses));
        }

        return (creates.Concat(dropForeignKeys).Concat(alters).Concat(addForeignKeys).ToList(), destructive);
    }

    /// <summary>The text of a migration file.</summary>
    public static string Render(string version, string name, SchemaEndpoints endpoint, IReadOnlyList<string> update, IReadOnlyList<string> destructive, string note)
    {
        string Part(IReadOnlyList<string> statements) => statements.Count == 0 ? "\n" : "\n" + string.Join("\n\n", statements.Select(s => s.TrimEnd() + ";")) + "\n";
        return $"-- Migration {version} {name}\n-- {note}\n-- @endpoint: {endpoint}\n\n-- @update{Part(update)}\n-- @updateDestructive{Part(destructive)}";
    }

    private static async Task<string> ShowCreateAsync(MySqlConnection connection, string table, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand("SHOW CREATE TABLE " + SqlIdentifier.Quote(table), connection);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetString(1);
    }

    /// <summary>The parts of a SHOW CREATE TABLE text.</summary>
    internal sealed class CreateTable
    {
        public string Text { get; init; } = string.Empty;

        public List<string> ColumnOrder { get; } = new();

        public Dictionary<string, string> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, string> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, string> ForeignKeys { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, string> Checks { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string WithoutForeignKeys()
        {
            var lines = Text.Split('\n').Where(l => !Regex.IsMatch(l, @"^\s*CONSTRAINT\s+`(?:[^`]|``)+`\s+FOREIGN KEY")).ToList();
            // The line before the closing parenthesis must not end with a comma any more.
            var close = lines.FindLastIndex(l => l.StartsWith(")", StringComparison.Ordinal));
            if (close > 0) lines[close - 1] = lines[close - 1].TrimEnd().TrimEnd(',');
            return string.Join("\n", lines);
        }
    }

    internal static CreateTable Parse(string ddl)
    {
        var result = new CreateTable { Text = ddl };
        foreach (var raw in ddl.Split('\n').Skip(1))
        {
            var line = raw.Trim().TrimEnd(',');
            Match m;
            if ((m = Regex.Match(line, @"^`(?<n>(?:[^`]|``)+)`\s")).Success)
            {
                var column = m.Groups["n"].Value.Replace("``", "`");
                result.Columns[column] = line;
                result.ColumnOrder.Add(column);
            }
            else if (line.StartsWith("PRIMARY KEY", StringComparison.Ordinal)) result.Keys["PRIMARY"] = line;
            else if ((m = Regex.Match(line, @"^(?:UNIQUE |FULLTEXT |SPATIAL )?KEY `(?<n>(?:[^`]|``)+)`")).Success) result.Keys[m.Groups["n"].Value.Replace("``", "`")] = line;
            else if ((m = Regex.Match(line, @"^CONSTRAINT `(?<n>(?:[^`]|``)+)` FOREIGN KEY")).Success) result.ForeignKeys[m.Groups["n"].Value.Replace("``", "`")] = line;
            else if ((m = Regex.Match(line, @"^CONSTRAINT `(?<n>(?:[^`]|``)+)` CHECK")).Success) result.Checks[m.Groups["n"].Value.Replace("``", "`")] = line;
        }

        return result;
    }
}
