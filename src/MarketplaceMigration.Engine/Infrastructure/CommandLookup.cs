using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>
/// Whether a configured shell command line (clusterRestartCommand, smokeCommand) can start: its
/// program exists and may be executed, found the way <c>/bin/sh</c> would find it (a path with a
/// slash relative to the working directory, else a directory on PATH). Checked in step 1, so a typo
/// is found before the gate is set, not at step 7 with the shop in maintenance.
/// </summary>
/// <remarks>
/// Only the first program is checked: leading <c>NAME=value</c> assignments and the wrappers
/// <c>env</c>, <c>exec</c>, <c>nohup</c> and <c>sudo</c> (with its options) are looked through. A line
/// that starts with shell syntax (a subshell, a brace group, a keyword) or a shell builtin is accepted
/// as it is: only running it can tell.
/// </remarks>
public static class CommandLookup
{
    private static readonly HashSet<string> Builtins = new(StringComparer.Ordinal)
    {
        ":",
        ".",
        "[",
        "alias",
        "break",
        "cd",
        "command",
        "continue",
        "echo",
        "eval",
        "exit",
        "export",
        "false",
        "printf",
        "read",
        "return",
        "set",
        "shift",
        "source",
        "test",
        "times",
        "trap",
        "true",
        "type",
        "ulimit",
        "umask",
        "unset",
        "wait",
        "if",
        "for",
        "while",
        "until",
        "case",
        "!",
        "{",
        "(",
    };

    private static readonly HashSet<string> Wrappers = new(StringComparer.Ordinal) { "env", "nohup", "sudo" };

    // sudo's options that take a value (sudo -u www-data cmd).
    private static readonly HashSet<string> SudoValueOptions = new(StringComparer.Ordinal)
    {
        "-u",
        "-g",
        "-C",
        "-D",
        "-h",
        "-p",
        "-r",
        "-t",
        "-U",
        "-T",
    };

    /// <summary>Null when the command's program can start; otherwise why it cannot (naming the program and where it was looked for).</summary>
    public static string? WhyNot(string commandLine, string workingDirectory)
    {
        if (string.IsNullOrWhiteSpace(commandLine))
            return "the command is empty";
        var words = Words(commandLine);
        var i = 0;
        while (i < words.Count)
        {
            var word = words[i];
            if (IsAssignment(word))
            {
                i++;
                continue;
            }

            if (word == "exec")
            {
                i++;
                continue;
            }

            if (Builtins.Contains(word) || word.StartsWith("(", StringComparison.Ordinal) || word.StartsWith("{", StringComparison.Ordinal))
                return null;
            var problem = Missing(word, workingDirectory);
            if (problem != null || !Wrappers.Contains(word))
                return problem;
            i++;
            if (word == "sudo")
            {
                while (i < words.Count && words[i].StartsWith("-", StringComparison.Ordinal))
                    i += SudoValueOptions.Contains(words[i]) ? 2 : 1;
            }
            else if (word == "env")
            {
                while (i < words.Count && words[i].StartsWith("-", StringComparison.Ordinal))
                    i++;
            }
        }

        return null;
    }

    private static string? Missing(string program, string workingDirectory)
    {
        if (program.IndexOf('/') >= 0)
        {
            var path = Path.IsPathRooted(program) ? program : Path.GetFullPath(Path.Combine(workingDirectory, program));
            if (!File.Exists(path))
                return $"'{program}' does not exist ({path})";
            return PosixFile.IsExecutable(path)
                ? null
                : $"'{program}' is not executable ({path}: chmod +x it, or run it through its interpreter)";
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(
            new[] { Path.PathSeparator },
            StringSplitOptions.RemoveEmptyEntries
        );
        if (directories.Any(d => PosixFile.IsExecutable(Path.Combine(d, program))))
            return null;
        return $"'{program}' is not on the PATH of this process ({string.Join(Path.PathSeparator.ToString(), directories)})";
    }

    private static bool IsAssignment(string word)
    {
        var equals = word.IndexOf('=');
        return equals > 0 && word.Take(equals).All(c => char.IsLetterOrDigit(c) || c == '_') && !char.IsDigit(word[0]);
    }

    /// <summary>The line's words as the shell splits them (quotes and backslashes), up to the first operator.</summary>
    internal static List<string> Words(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < line.Length)
                    current.Append(line[++i]);
                else
                    current.Append(c);
                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c) || c is ';' or '&' or '|' or '<' or '>')
            {
                if (inWord)
                    words.Add(current.ToString());
                current.Clear();
                inWord = false;
                if (!char.IsWhiteSpace(c))
                    return words; // the first command ends here
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (inWord)
            words.Add(current.ToString());
        return words;
    }
}
