using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>
/// A table's SHOW CREATE TABLE text, parsed into its column, key, foreign-key and check lines: what the
/// schema migrations render from and what the copy rebuilds its deferred secondary indexes from.
/// </summary>
public sealed class CreateTableText
{
    /// <summary>The whole text.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Column names in table order.</summary>
    public List<string> ColumnOrder { get; } = new();

    /// <summary>Column name → its definition line.</summary>
    public Dictionary<string, string> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Key name (PRIMARY for the primary key) → its definition line.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Constraint name → its FOREIGN KEY line.</summary>
    public Dictionary<string, string> ForeignKeys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Constraint name → its CHECK line.</summary>
    public Dictionary<string, string> Checks { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads and parses a table's SHOW CREATE TABLE.</summary>
    public static async Task<CreateTableText> ReadAsync(MySqlConnection connection, string table, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand("SHOW CREATE TABLE " + SqlIdentifier.Quote(table), connection);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return Parse(reader.GetString(1));
    }

    /// <summary>The text without its FOREIGN KEY lines.</summary>
    public string WithoutForeignKeys()
    {
        var lines = Text.Split('\n').Where(l => !Regex.IsMatch(l, @"^\s*CONSTRAINT\s+`(?:[^`]|``)+`\s+FOREIGN KEY")).ToList();
        // The line before the closing parenthesis must not end with a comma any more.
        var close = lines.FindLastIndex(l => l.StartsWith(")", StringComparison.Ordinal));
        if (close > 0)
            lines[close - 1] = lines[close - 1].TrimEnd().TrimEnd(',');
        return string.Join("\n", lines);
    }

    /// <summary>Parses a SHOW CREATE TABLE text.</summary>
    public static CreateTableText Parse(string ddl)
    {
        var result = new CreateTableText { Text = ddl };
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
            else if (line.StartsWith("PRIMARY KEY", StringComparison.Ordinal))
                result.Keys["PRIMARY"] = line;
            else if ((m = Regex.Match(line, @"^(?:UNIQUE |FULLTEXT |SPATIAL )?KEY `(?<n>(?:[^`]|``)+)`")).Success)
                result.Keys[m.Groups["n"].Value.Replace("``", "`")] = line;
            else if ((m = Regex.Match(line, @"^CONSTRAINT `(?<n>(?:[^`]|``)+)` FOREIGN KEY")).Success)
                result.ForeignKeys[m.Groups["n"].Value.Replace("``", "`")] = line;
            else if ((m = Regex.Match(line, @"^CONSTRAINT `(?<n>(?:[^`]|``)+)` CHECK")).Success)
                result.Checks[m.Groups["n"].Value.Replace("``", "`")] = line;
        }

        return result;
    }
}
