using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Writes the data plane as a SQL file the plain mysql client loads into tables of the same shape
/// (data only, like <c>mysqldump --no-create-info</c>): session pinned to utf8mb4, UTC,
/// NO_AUTO_VALUE_ON_ZERO and foreign-key checks off; bytes as hex literals, decimals and times as
/// the server's exact text, doubles round-trip exact. Written to a temporary file and renamed, owner-only.
/// </summary>
public static class DumpWriter
{
    private const int StatementBytes = 1 << 20;

    /// <summary>Writes the dump and returns its size in bytes.</summary>
    public static async Task<long> WriteAsync(
        ConnectionTarget source,
        IReadOnlyList<TableLayout> layouts,
        string path,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".partial";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                PosixFile.Chmod(temp, PosixFile.OwnerReadWrite);
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
                writer.NewLine = "\n";
                await writer
                    .WriteLineAsync(
                        $"-- MarketplaceMigration data-plane dump of {source.Endpoint} ({layouts.Count} tables), {DateTimeOffset.UtcNow:u}"
                    )
                    .ConfigureAwait(false);
                await writer
                    .WriteLineAsync(
                        "-- Data only: load into empty tables of the same shape, e.g. mysql --default-character-set=utf8mb4 db < this.sql"
                    )
                    .ConfigureAwait(false);
                await writer
                    .WriteLineAsync(
                        "SET NAMES utf8mb4;\nSET time_zone = '+00:00';\nSET FOREIGN_KEY_CHECKS = 0;\nSET UNIQUE_CHECKS = 0;\nSET "
                            + "SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO';"
                    )
                    .ConfigureAwait(false);
                using var connection = await TableSession.OpenReadAsync(source, cancellationToken).ConfigureAwait(false);
                await TableSession
                    .ExecuteAsync(connection, "START TRANSACTION WITH CONSISTENT SNAPSHOT", cancellationToken)
                    .ConfigureAwait(false);
                foreach (var layout in layouts)
                    await WriteTableAsync(connection, layout, writer, cancellationToken).ConfigureAwait(false);
                await TableSession.ExecuteAsync(connection, "COMMIT", cancellationToken).ConfigureAwait(false);
                await writer.WriteLineAsync("SET FOREIGN_KEY_CHECKS = 1;\nSET UNIQUE_CHECKS = 1;").ConfigureAwait(false);
                await writer.FlushAsync().ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(full))
                File.Delete(full);
            File.Move(temp, full);
            var size = new FileInfo(full).Length;
            observer?.Verbose($"Dump written to {full} ({size} bytes).");
            return size;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw new MigrationException(
                ErrorIds.DumpWriteFailed,
                MigrationErrorKind.Permission,
                full,
                $"The dump file {full} could not be written: {ex.Message}",
                "free space or fix permissions where -DumpPath points (or leave -DumpPath out: the copy does not need the file), then rerun.",
                ex
            );
        }
    }

    private static async Task WriteTableAsync(
        MySqlConnection connection,
        TableLayout layout,
        StreamWriter writer,
        CancellationToken cancellationToken
    )
    {
        var expressions = layout.Columns.Select(c =>
            c.IsBinary ? $"HEX({c.Quoted})"
            : c.IsBit ? $"CAST({c.Quoted} AS UNSIGNED)"
            : c.IsDecimal || c.IsText || c.IsJson || c.IsInteger || c.IsFloat ? c.SelectExpression
            : c.Definition.Type.BaseType == "double" ? c.Quoted
            : $"CAST({c.Quoted} AS CHAR)"
        );
        var head = $"INSERT INTO {layout.Quoted} ({string.Join(", ", layout.Columns.Select(c => c.Quoted))}) VALUES\n";
        using var command = new MySqlCommand(
            $"SELECT {string.Join(", ", expressions)} FROM {layout.Quoted} ORDER BY {layout.KeyList}",
            connection
        );
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var statement = new StringBuilder();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            statement.Append(statement.Length == 0 ? head : ",\n").Append('(');
            for (var i = 0; i < layout.Columns.Count; i++)
            {
                if (i > 0)
                    statement.Append(',');
                AppendValue(statement, layout.Columns[i], reader.IsDBNull(i) ? null : reader.GetValue(i));
            }

            statement.Append(')');
            if (statement.Length >= StatementBytes)
            {
                await writer.WriteLineAsync(statement.Append(';').ToString()).ConfigureAwait(false);
                statement.Clear();
            }
        }

        if (statement.Length > 0)
            await writer.WriteLineAsync(statement.Append(';').ToString()).ConfigureAwait(false);
    }

    private static void AppendValue(StringBuilder b, TableColumn column, object? value)
    {
        switch (value)
        {
            case null:
                b.Append("NULL");
                return;
            case string hex when column.IsBinary:
                b.Append(hex.Length == 0 ? "''" : "0x" + hex);
                return;
            case double d:
                b.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return;
            case float f:
                b.Append(f.ToString("R", CultureInfo.InvariantCulture));
                return;
            case string s when column.IsDecimal:
                b.Append(s);
                return;
            case string s:
                AppendQuoted(b, s);
                return;
            case IFormattable number:
                b.Append(number.ToString(null, CultureInfo.InvariantCulture));
                return;
            default:
                AppendQuoted(b, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                return;
        }
    }

    private static void AppendQuoted(StringBuilder b, string s)
    {
        b.Append('\'');
        foreach (var c in s)
        {
            switch (c)
            {
                case '\0':
                    b.Append("\\0");
                    break;
                case '\'':
                    b.Append("\\'");
                    break;
                case '\\':
                    b.Append("\\\\");
                    break;
                case '\n':
                    b.Append("\\n");
                    break;
                case '\r':
                    b.Append("\\r");
                    break;
                case '\u001a':
                    b.Append("\\Z");
                    break;
                default:
                    b.Append(c);
                    break;
            }
        }

        b.Append('\'');
    }
}
