using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>Creates migration files: Migration&lt;yyyyMMddHHmmss UTC&gt;&lt;Description&gt;.sql in a source directory.</summary>
public static class SchemaMigrationScaffold
{
    /// <summary>The template of a new, empty migration.</summary>
    public static string Template(string version, string name) =>
        $"-- Migration {version} {name}\n"
        + "-- Statements end with ';'. MySQL and MariaDB commit DDL implicitly: a failed migration is recorded at the\n"
        + "-- statement it reached and a rerun continues there, so never edit statements that already ran.\n"
        + "-- @endpoint: Both\n\n"
        + "-- @update\n\n\n"
        + "-- @updateDestructive\n";

    /// <summary>Writes a new migration file into <paramref name="source"/> (created when missing) and returns its path.</summary>
    public static string Create(string source, string name, DateTime utcNow, Func<string, string, string>? content = null)
    {
        if (string.IsNullOrEmpty(name) || !Regex.IsMatch(name, "^[A-Za-z][A-Za-z0-9]*$"))
        {
            throw new MigrationException(
                ErrorIds.SchemaMigrationInvalid,
                MigrationErrorKind.InvalidInput,
                name,
                $"The migration name '{name}' is not a description of letters and digits starting with a letter.",
                "use a name like AddSellerRating (it becomes part of the file name)."
            );
        }

        try
        {
            Directory.CreateDirectory(source);
            var when = utcNow;
            while (true)
            {
                var version = when.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                var path = Path.Combine(source, $"Migration{version}{name}.sql");
                if (Directory.GetFiles(source, $"Migration{version}*.sql").Length == 0)
                {
                    File.WriteAllText(path, (content ?? Template)(version, name));
                    return path;
                }

                when = when.AddSeconds(1); // one version per second: the next free one
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(
                ErrorIds.SchemaMigrationInvalid,
                MigrationErrorKind.Permission,
                source,
                $"The migration could not be written to {source}: {ex.Message}",
                "check the directory's permissions, or pass another -Source.",
                ex
            );
        }
    }
}
