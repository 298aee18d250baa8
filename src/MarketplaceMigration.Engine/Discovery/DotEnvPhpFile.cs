using System.Collections.Generic;
using System.Text.RegularExpressions;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// Reads <c>.env.local.php</c>, the file <c>composer dump-env prod</c> writes and Symfony then
/// reads instead of the .env files: a PHP <c>return array(...)</c> of string pairs as
/// <c>var_export</c> prints them. Anything else in it is refused rather than guessed.
/// </summary>
public static class DotEnvPhpFile
{
    private static readonly Regex Pair = new(
        @"'((?:[^'\\]|\\.)*)'\s*=>\s*(?:'((?:[^'\\]|\\.)*)'|(true|false|null|-?\d+(?:\.\d+)?))\s*,?",
        RegexOptions.CultureInvariant
    );
    private static readonly Regex Shell = new(
        @"^\s*<\?php\s+(?:(?://[^\n]*|/\*.*?\*/)\s*)*return\s+(?:array\s*\(|\[)(?<body>.*)(?:\)|\])\s*;\s*$",
        RegexOptions.CultureInvariant | RegexOptions.Singleline
    );

    /// <summary>Parses the file's text into key/value pairs.</summary>
    public static IDictionary<string, string> Parse(string path, string content)
    {
        var shell = Shell.Match(content);
        if (!shell.Success)
        {
            throw new MigrationException(
                ErrorIds.DotEnvInvalid,
                MigrationErrorKind.InvalidInput,
                path,
                $"{path} is not the plain 'return array(...)' that composer dump-env writes.",
                "regenerate it with 'composer dump-env prod', or remove it so the .env files are read."
            );
        }

        var values = new Dictionary<string, string>();
        var body = shell.Groups["body"].Value;
        var position = 0;
        foreach (Match m in Pair.Matches(body))
        {
            if (body.Substring(position, m.Index - position).Trim().Length > 0)
                break;
            values[Unescape(m.Groups[1].Value)] = m.Groups[2].Success ? Unescape(m.Groups[2].Value) : m.Groups[3].Value;
            position = m.Index + m.Length;
        }

        if (body.Substring(position).Trim().Length > 0)
        {
            throw new MigrationException(
                ErrorIds.DotEnvInvalid,
                MigrationErrorKind.InvalidInput,
                path,
                $"{path} holds something other than 'KEY' => 'value' pairs after pair {values.Count} (its text is not shown: it may hold secrets).",
                "regenerate it with 'composer dump-env prod'."
            );
        }

        return values;
    }

    private static string Unescape(string value) => value.Replace("\\'", "'").Replace("\\\\", "\\");
}
