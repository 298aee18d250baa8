using System.Text;
using System.Text.RegularExpressions;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>
/// Canonical spelling of SQL expressions as information_schema reports them (defaults, generated
/// columns, check clauses), so that MariaDB's and MySQL's spellings of the same expression compare
/// equal: no backticks, no charset introducers, no outer parentheses, lower case outside string
/// literals, minimal white space, and <c>now()</c>/<c>current_timestamp()</c> spelled <c>current_timestamp</c>.
/// </summary>
public static class SqlExpression
{
    private static readonly Regex Introducer = new(@"(?<![A-Za-z0-9_])_[a-z0-9]+(?=')", RegexOptions.CultureInvariant);
    private static readonly Regex Now = new(
        @"\b(?:current_timestamp|now|localtimestamp|localtime)(?:\(\s*(\d*)\s*\))?",
        RegexOptions.CultureInvariant
    );

    /// <summary>Returns the canonical form of <paramref name="expression"/>.</summary>
    public static string Canonical(string expression)
    {
        var text = expression.Trim();
        // MySQL 8 shows quotes inside generation expressions and check clauses escaped.
        if (text.Contains("\\'"))
            text = text.Replace("\\'", "'");
        var b = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\'')
            {
                var end = i + 1;
                while (end < text.Length)
                {
                    if (text[end] == '\'' && end + 1 < text.Length && text[end + 1] == '\'')
                        end += 2;
                    else if (text[end] == '\\' && end + 1 < text.Length)
                        end += 2;
                    else if (text[end] == '\'')
                        break;
                    else
                        end++;
                }

                end = end < text.Length ? end : text.Length - 1;
                b.Append(text, i, end - i + 1);
                i = end + 1;
            }
            else if (c == '`')
            {
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                    i++;
                var prev = b.Length > 0 ? b[b.Length - 1] : ' ';
                var next = i < text.Length ? text[i] : ' ';
                if (IsWord(prev) && (IsWord(next) || next == '`'))
                    b.Append(' ');
            }
            else
            {
                b.Append(char.ToLowerInvariant(c));
                i++;
            }
        }

        var result = Introducer.Replace(b.ToString(), string.Empty);
        result = Now.Replace(result, m =>
            m.Groups[1].Value is { Length: > 0 } p && p != "0" ? "current_timestamp(" + p + ")" : "current_timestamp"
        );
        return StripOuterParentheses(result);
    }

    private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '\'' || c == '$';

    private static string StripOuterParentheses(string text)
    {
        while (text.Length >= 2 && text[0] == '(' && text[text.Length - 1] == ')' && ClosesAtEnd(text))
        {
            text = text.Substring(1, text.Length - 2);
        }

        return text;
    }

    private static bool ClosesAtEnd(string text)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
                inString = !inString;
            if (inString)
                continue;
            if (c == '(')
                depth++;
            if (c == ')')
                depth--;
            if (depth == 0 && i < text.Length - 1)
                return false;
        }

        return depth == 0;
    }
}
