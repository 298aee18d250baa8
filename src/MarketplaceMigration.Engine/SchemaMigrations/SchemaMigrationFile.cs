using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>Which endpoints a migration is for.</summary>
[Flags]
public enum SchemaEndpoints
{
    /// <summary>Shopware's database.</summary>
    Shopware = 1,

    /// <summary>The Flyokai cluster's database.</summary>
    Cluster = 2,

    /// <summary>Both (the default: the data plane lives on both ends).</summary>
    Both = Shopware | Cluster,
}

/// <summary>
/// One migration file: <c>Migration&lt;yyyyMMddHHmmss&gt;&lt;Description&gt;.sql</c> with an <c>-- @update</c> part and an
/// optional <c>-- @updateDestructive</c> part, and optionally <c>-- @endpoint: Shopware|Cluster|Both</c> in its header.
/// The checksum is SHA-256 of the file with line endings normalised.
/// </summary>
public sealed class SchemaMigrationFile
{
    /// <summary>The file name pattern.</summary>
    public static readonly Regex FileName = new(
        @"^Migration(?<version>\d{14})(?<name>[A-Za-z][A-Za-z0-9]*)\.sql$",
        RegexOptions.CultureInvariant
    );

    private SchemaMigrationFile(
        string path,
        string version,
        string name,
        string source,
        SchemaEndpoints endpoints,
        IReadOnlyList<string> update,
        IReadOnlyList<string> destructive,
        string checksum
    )
    {
        Path = path;
        Version = version;
        Name = name;
        Source = source;
        Endpoints = endpoints;
        Update = update;
        Destructive = destructive;
        Checksum = checksum;
    }

    /// <summary>Full path.</summary>
    public string Path { get; }

    /// <summary>The timestamp: yyyyMMddHHmmss (UTC when created by New-SchemaMigration).</summary>
    public string Version { get; }

    /// <summary>The description part of the name.</summary>
    public string Name { get; }

    /// <summary>The source directory it was found in.</summary>
    public string Source { get; }

    /// <summary>The endpoints it is for.</summary>
    public SchemaEndpoints Endpoints { get; }

    /// <summary>The non-destructive statements (run by Invoke-SchemaMigration).</summary>
    public IReadOnlyList<string> Update { get; }

    /// <summary>The destructive statements (run only with -Destructive).</summary>
    public IReadOnlyList<string> Destructive { get; }

    /// <summary>SHA-256 (hex) of the file, line endings normalised.</summary>
    public string Checksum { get; }

    /// <summary>Reads and parses a migration file.</summary>
    public static SchemaMigrationFile Read(string path, string source)
    {
        var match = FileName.Match(System.IO.Path.GetFileName(path));
        if (!match.Success)
            throw Invalid(
                path,
                "its name is not Migration<yyyyMMddHHmmss><Description>.sql",
                "rename it, e.g. Migration20261123120000AddSellerRating.sql."
            );
        if (
            !DateTime.TryParseExact(
                match.Groups["version"].Value,
                "yyyyMMddHHmmss",
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out _
            )
        )
        {
            throw Invalid(
                path,
                $"its timestamp {match.Groups["version"].Value} is not a date and time (yyyyMMddHHmmss)",
                "use New-SchemaMigration, which names the file from the current time."
            );
        }

        string text;
        try
        {
            text = File.ReadAllText(path).Replace("\r\n", "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, "it cannot be read: " + ex.Message, "check the file's permissions.");
        }

        var endpoints = SchemaEndpoints.Both;
        var endpointLine = Regex.Match(
            text,
            @"^--\s*@endpoint\s*:\s*(?<e>\S+)\s*$",
            RegexOptions.Multiline | RegexOptions.CultureInvariant
        );
        if (endpointLine.Success && !Enum.TryParse(endpointLine.Groups["e"].Value, ignoreCase: true, out endpoints))
        {
            throw Invalid(
                path,
                $"its '-- @endpoint: {endpointLine.Groups["e"].Value}' names no endpoint",
                "write -- @endpoint: Shopware, Cluster or Both."
            );
        }

        var markers = Regex
            .Matches(text, @"^--\s*@(?<part>update|updateDestructive)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)
            .Cast<Match>()
            .ToList();
        var updates = markers.Where(m => m.Groups["part"].Value == "update").ToList();
        var destructives = markers.Where(m => m.Groups["part"].Value == "updateDestructive").ToList();
        if (updates.Count != 1 || destructives.Count > 1)
        {
            throw Invalid(
                path,
                "it needs exactly one '-- @update' line (and at most one '-- @updateDestructive' line)",
                "start the statements that only add with -- @update, and those that remove with -- @updateDestructive."
            );
        }

        string Part(Match marker)
        {
            var start = marker.Index + marker.Length;
            var end = markers.Where(m => m.Index > marker.Index).Select(m => m.Index).DefaultIfEmpty(text.Length).Min();
            return text.Substring(start, end - start);
        }

        var update = SqlStatementSplitter.Split(Part(updates[0]));
        var destructive = destructives.Count == 1 ? SqlStatementSplitter.Split(Part(destructives[0])) : Array.Empty<string>();
        using var sha = SHA256.Create();
        var checksum = string.Concat(
            sha.ComputeHash(Encoding.UTF8.GetBytes(text)).Select(b => b.ToString("x2", CultureInfo.InvariantCulture))
        );
        return new SchemaMigrationFile(
            path,
            match.Groups["version"].Value,
            match.Groups["name"].Value,
            source,
            endpoints,
            update,
            destructive,
            checksum
        );
    }

    /// <summary>A checksum of the first <paramref name="count"/> statements of a part (to resume a failed part only when they are unchanged).</summary>
    public static string PrefixChecksum(IReadOnlyList<string> statements, int count)
    {
        using var sha = SHA256.Create();
        var text = string.Join("\n;\n", statements.Take(count));
        return string.Concat(
            sha.ComputeHash(Encoding.UTF8.GetBytes(text)).Take(16).Select(b => b.ToString("x2", CultureInfo.InvariantCulture))
        );
    }

    private static MigrationException Invalid(string path, string what, string fix) =>
        new(
            ErrorIds.SchemaMigrationInvalid,
            MigrationErrorKind.InvalidInput,
            path,
            $"The schema migration {path} cannot be used: {what}.",
            fix
        );
}
