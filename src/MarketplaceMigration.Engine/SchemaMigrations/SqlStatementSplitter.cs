using System.Collections.Generic;
using System.Text;

namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>
/// Splits a migration part into statements at each <c>;</c> outside quotes ('', "", ``) and comments
/// (-- , #, /* */). Comment-only pieces are dropped. DELIMITER is not supported: migrations hold DDL and
/// DML, not stored programs.
/// </summary>
public static class SqlStatementSplitter
{
    /// <summary>The statements of <paramref name="sql"/>, trimmed, without their terminating semicolons.</summary>
    public static IReadOnlyList<string> Split(string sql)
    {
        var statements = new List<string>();
        var current = new StringBuilder();
        var meaningful = false;
        var i = 0;
        void Flush()
        {
            var text = current.ToString().Trim();
            if (meaningful && text.Length > 0)
                statements.Add(text);
            current.Clear();
            meaningful = false;
        }

        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (c == '\'' || c == '"' || c == '`')
            {
                var end = i + 1;
                while (end < sql.Length)
                {
                    if (sql[end] == '\\' && c != '`')
                        end += 2;
                    else if (sql[end] == c && end + 1 < sql.Length && sql[end + 1] == c)
                        end += 2;
                    else if (sql[end] == c)
                        break;
                    else
                        end++;
                }

                end = System.Math.Min(end, sql.Length - 1);
                current.Append(sql, i, end - i + 1);
                meaningful = true;
                i = end + 1;
            }
            else if ((c == '-' && next == '-' && (i + 2 >= sql.Length || char.IsWhiteSpace(sql[i + 2]))) || c == '#')
            {
                var end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end;
                current.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '/' && next == '*')
            {
                var end = sql.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + 2;
                current.Append(sql, i, end - i);
                i = end;
            }
            else if (c == ';')
            {
                Flush();
                i++;
            }
            else
            {
                if (!char.IsWhiteSpace(c))
                    meaningful = true;
                current.Append(c);
                i++;
            }
        }

        Flush();
        return statements;
    }
}
