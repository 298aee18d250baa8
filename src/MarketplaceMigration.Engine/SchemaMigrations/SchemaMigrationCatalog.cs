using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>A known migration: its file (when a source holds it) and its lock entry (when listed).</summary>
public sealed record CatalogEntry(string Version, string Name, SchemaMigrationFile? File, MigrationLockEntry? Lock)
{
    /// <summary>The lock file says skip.</summary>
    public bool Skip => Lock?.Skip == true;
}

/// <summary>
/// Every migration of every source, in run order: the lock file's order first, then migrations the
/// lock does not list yet, by timestamp. A migration with an older date installed later therefore runs
/// after those already listed (Shopsys' rule), and every machine runs them in the same order.
/// </summary>
public sealed class SchemaMigrationCatalog
{
    private SchemaMigrationCatalog(IReadOnlyList<CatalogEntry> entries, MigrationLock lockFile)
    {
        Entries = entries;
        Lock = lockFile;
    }

    /// <summary>The migrations in run order.</summary>
    public IReadOnlyList<CatalogEntry> Entries { get; }

    /// <summary>The lock file as read.</summary>
    public MigrationLock Lock { get; }

    /// <summary>Reads the sources and the lock file.</summary>
    /// <param name="sources">The migration directories.</param>
    /// <param name="lockPath">The lock file.</param>
    /// <param name="missingIsEmpty">A missing directory holds no migrations (the default directory of a project that has none
    /// yet) instead of an error (a -Source given by hand).</param>
    public static SchemaMigrationCatalog Load(IReadOnlyList<string> sources, string lockPath, bool missingIsEmpty = false)
    {
        if (sources is null || sources.Count == 0)
            throw new MigrationException(
                ErrorIds.SchemaMigrationInvalid,
                MigrationErrorKind.InvalidInput,
                null,
                "No migration source directory was given.",
                "pass -Source <directory> (one per plugin or project part)."
            );
        var files = new Dictionary<string, SchemaMigrationFile>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (!Directory.Exists(source) && missingIsEmpty)
                continue;
            if (!Directory.Exists(source))
            {
                throw new MigrationException(
                    ErrorIds.SchemaMigrationInvalid,
                    MigrationErrorKind.NotFound,
                    source,
                    $"The migration source directory {source} does not exist.",
                    "create it (New-SchemaMigration -Source creates it) or correct -Source."
                );
            }

            foreach (var path in Directory.GetFiles(source, "*.sql").OrderBy(p => p, StringComparer.Ordinal))
            {
                var file = SchemaMigrationFile.Read(path, source);
                if (files.TryGetValue(file.Version, out var other))
                {
                    throw new MigrationException(
                        ErrorIds.SchemaMigrationInvalid,
                        MigrationErrorKind.InvalidInput,
                        path,
                        $"Two migrations share the version {file.Version}: {other.Path} and {path}.",
                        "give one of them a new timestamp (rename the file): versions identify migrations in the lock file and the tracking table."
                    );
                }

                files[file.Version] = file;
            }
        }

        var lockFile = MigrationLock.Read(lockPath);
        var entries = new List<CatalogEntry>();
        foreach (var entry in lockFile.Entries)
        {
            files.TryGetValue(entry.Version, out var file);
            entries.Add(new CatalogEntry(entry.Version, file?.Name ?? entry.Name, file, entry));
        }

        var listed = new HashSet<string>(lockFile.Entries.Select(e => e.Version), StringComparer.Ordinal);
        entries.AddRange(
            files
                .Values.Where(f => !listed.Contains(f.Version))
                .OrderBy(f => f.Version, StringComparer.Ordinal)
                .Select(f => new CatalogEntry(f.Version, f.Name, f, null))
        );
        return new SchemaMigrationCatalog(entries, lockFile);
    }
}
