using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// Parses Symfony-style dotenv files as Shopware reads them: <c>KEY=value</c>, an optional
/// <c>export</c>, comments, single quotes (literal), double quotes (escapes and <c>$VAR</c>
/// expansion) and unquoted values (expansion, no spaces). A line that Symfony would reject is
/// an error naming the file and line, never silently skipped.
/// </summary>
public static class DotEnvFile
{
    private static readonly Regex KeyPattern = new("^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=", RegexOptions.CultureInvariant);
    private static readonly Regex VariablePattern = new(
        @"(?<!\\)\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}|(?<name>[A-Za-z_][A-Za-z0-9_]*))",
        RegexOptions.CultureInvariant
    );

    /// <summary>
    /// Parses <paramref name="content"/> (the text of <paramref name="path"/>) into <paramref name="values"/>,
    /// later keys overriding earlier ones. <paramref name="lookup"/> resolves variables not defined in the files.
    /// </summary>
    public static void Parse(string path, string content, IDictionary<string, string> values, Func<string, string?> lookup)
    {
        if (content is null)
            throw new ArgumentNullException(nameof(content));
        var lines = content.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var match = KeyPattern.Match(line);
            if (!match.Success)
            {
                throw Invalid(path, i + 1, "this is not KEY=value");
            }

            var key = match.Groups[1].Value;
            var rest = line.Substring(match.Length).TrimStart(' ', '\t');
            values[key] = ParseValue(path, i + 1, rest, values, lookup);
        }
    }

    private static string ParseValue(
        string path,
        int lineNumber,
        string rest,
        IDictionary<string, string> values,
        Func<string, string?> lookup
    )
    {
        if (rest.Length == 0)
            return string.Empty;
        if (rest[0] == '\'')
        {
            var end = rest.IndexOf('\'', 1);
            if (end < 0)
                throw Invalid(path, lineNumber, "a single-quoted value is not closed");
            CheckTrailer(path, lineNumber, rest.Substring(end + 1));
            return rest.Substring(1, end - 1);
        }

        if (rest[0] == '"')
        {
            var builder = new StringBuilder();
            var i = 1;
            for (; i < rest.Length && rest[i] != '"'; i++)
            {
                if (rest[i] == '\\' && i + 1 < rest.Length)
                {
                    i++;
                    builder.Append(
                        rest[i] switch
                        {
                            'n' => '\n',
                            'r' => '\r',
                            't' => '\t',
                            '$' => '\u0001',
                            _ => rest[i],
                        }
                    );
                }
                else
                {
                    builder.Append(rest[i]);
                }
            }

            if (i >= rest.Length)
                throw Invalid(path, lineNumber, "a double-quoted value is not closed");
            CheckTrailer(path, lineNumber, rest.Substring(i + 1));
            return Expand(builder.ToString(), values, lookup).Replace('\u0001', '$');
        }

        var hash = IndexOfComment(rest);
        var raw = (hash >= 0 ? rest.Substring(0, hash) : rest).TrimEnd();
        if (raw.IndexOf(' ') >= 0 || raw.IndexOf('\t') >= 0)
        {
            throw Invalid(path, lineNumber, "a value containing spaces must be surrounded by quotes");
        }

        return Expand(raw.Replace("\\$", "\u0001"), values, lookup).Replace('\u0001', '$');
    }

    private static int IndexOfComment(string value)
    {
        for (var i = 1; i < value.Length; i++)
        {
            if (value[i] == '#' && (value[i - 1] == ' ' || value[i - 1] == '\t'))
                return i;
        }

        return -1;
    }

    private static void CheckTrailer(string path, int lineNumber, string trailer)
    {
        var t = trailer.Trim();
        if (t.Length > 0 && t[0] != '#')
            throw Invalid(path, lineNumber, "unexpected text after the closing quote");
    }

    private static string Expand(string value, IDictionary<string, string> values, Func<string, string?> lookup) =>
        VariablePattern.Replace(value, m =>
        {
            var name = m.Groups["name"].Value;
            var found = lookup(name) ?? (values.TryGetValue(name, out var v) ? v : null);
            if (string.IsNullOrEmpty(found) && m.Groups["default"].Success)
                return m.Groups["default"].Value;
            return found ?? string.Empty;
        });

    private static MigrationException Invalid(string path, int lineNumber, string reason) =>
        new(
            ErrorIds.DotEnvInvalid,
            MigrationErrorKind.InvalidInput,
            $"{path}:{lineNumber}",
            $"Line {lineNumber} of {path} cannot be read: {reason}.",
            "correct that line; Shopware (Symfony Dotenv) would reject it too."
        );
}
