using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Schema;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// How the target's LOAD DATA (read as <c>CHARACTER SET binary</c>) stores each field of
/// <see cref="LoadDataStream"/>: straight into the column when the bytes are already what the column
/// holds (bytes, numbers, times, text in the same character set on both ends), through a variable
/// otherwise: BIT as <c>CAST(@v AS UNSIGNED)</c>, text whose character set differs on the target
/// (or a MySQL 8 JSON column) as <c>CONVERT(@v USING source-charset)</c>, so the target converts
/// it exactly as an INSERT would.
/// </summary>
public sealed class LoadPlan
{
    private LoadPlan(IReadOnlyList<string> columns, IReadOnlyList<string> expressions)
    {
        Columns = columns;
        Expressions = expressions;
    }

    /// <summary>The LOAD DATA column list: a quoted column or a <c>@c{i}</c> variable per field.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The SET assignments for the fields that go through a variable.</summary>
    public IReadOnlyList<string> Expressions { get; }

    /// <summary>Reads the target table's character sets and types and plans the load of <paramref name="layout"/>.</summary>
    public static async Task<LoadPlan> ReadAsync(MySqlConnection writer, TableLayout layout, CancellationToken cancellationToken)
    {
        if (writer is null)
            throw new ArgumentNullException(nameof(writer));
        if (layout is null)
            throw new ArgumentNullException(nameof(layout));
        var target = new Dictionary<string, (string? Charset, string Type)>(StringComparer.OrdinalIgnoreCase);
        using (
            var command = new MySqlCommand(
                "SELECT COLUMN_NAME, CHARACTER_SET_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t",
                writer
            )
        )
        {
            command.Parameters.AddWithValue("@t", layout.Table);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                target[reader.GetString(0)] = (
                    reader.IsDBNull(1) ? null : SchemaNormalizer.CanonicalCharset(reader.GetString(1)),
                    reader.GetString(2).ToLowerInvariant()
                );
            }
        }

        return For(layout, name => target.TryGetValue(name, out var column) ? column : null);
    }

    /// <summary>Plans the load of <paramref name="layout"/> given the target's (character set, data type) of each column, or null
    /// for a column it lacks.</summary>
    public static LoadPlan For(TableLayout layout, Func<string, (string? Charset, string Type)?> targetColumn)
    {
        if (layout is null)
            throw new ArgumentNullException(nameof(layout));
        if (targetColumn is null)
            throw new ArgumentNullException(nameof(targetColumn));
        var columns = new List<string>(layout.Columns.Count);
        var expressions = new List<string>();
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            var column = layout.Columns[i];
            var variable = "@c" + i.ToString(CultureInfo.InvariantCulture);
            var charset = column.TransportCharset;
            var onTarget = targetColumn(column.Name);
            if (column.IsBit)
            {
                columns.Add(variable);
                expressions.Add($"{column.Quoted} = CAST({variable} AS UNSIGNED)");
            }
            else if (
                charset != null
                && onTarget is { } t
                && (t.Type == "json" || !string.Equals(t.Charset, charset, StringComparison.OrdinalIgnoreCase))
            )
            {
                columns.Add(variable);
                expressions.Add($"{column.Quoted} = CONVERT({variable} USING {charset})");
            }
            else
            {
                columns.Add(column.Quoted);
            }
        }

        return new LoadPlan(columns, expressions);
    }

    /// <summary>
    /// The LOAD DATA LOCAL of <paramref name="layout"/>'s rows from <paramref name="stream"/> (bytes, <see cref="LoadDataStream"/>)
    /// into the target through <paramref name="writer"/>, with this plan's columns and conversions; <paramref name="replace"/>
    /// (an online run) replaces a row that collides on a unique key instead of keeping it.
    /// </summary>
    public MySqlBulkLoader Loader(MySqlConnection writer, TableLayout layout, System.IO.Stream stream, bool replace, int timeoutSeconds = 0)
    {
        if (layout is null)
            throw new System.ArgumentNullException(nameof(layout));
        var loader = new MySqlBulkLoader(writer)
        {
            TableName = layout.Quoted,
            Local = true,
            SourceStream = stream,
            CharacterSet = "binary",
            Timeout = timeoutSeconds, // seconds, whatever its documentation says: it becomes the command's CommandTimeout; 0: none
            FieldTerminator = "\t",
            LineTerminator = "\n",
            EscapeCharacter = '\\',
            ConflictOption = replace ? MySqlBulkLoaderConflictOption.Replace : MySqlBulkLoaderConflictOption.None,
        };
        loader.Columns.AddRange(Columns);
        loader.Expressions.AddRange(Expressions);
        return loader;
    }
}
