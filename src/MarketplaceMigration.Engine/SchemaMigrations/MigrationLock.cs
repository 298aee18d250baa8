using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MarketplaceMigration.Engine.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>One entry of the lock file.</summary>
public sealed class MigrationLockEntry
{
    /// <summary>The migration's timestamp.</summary>
    public string Version { get; set; } = string.Empty;

    /// <summary>Its description.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Its source directory's name (informative).</summary>
    public string? Source { get; set; }

    /// <summary>Skipped: never run (someone provides the equivalent change).</summary>
    public bool Skip { get; set; }
}

/// <summary>
/// The migrations lock file (like Shopsys' migrations-lock.yml), committed with the project: a YAML
/// mapping from version to <c>{ name, source, skip }</c> whose order is the order migrations run in.
/// Invoke-SchemaMigration appends the migrations it ran that were not listed yet; editing the order or
/// setting <c>skip: true</c> by hand is how a project takes control.
/// </summary>
public sealed class MigrationLock
{
    private MigrationLock(string path, List<MigrationLockEntry> entries)
    {
        Path = path;
        Entries = entries;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The entries in run order.</summary>
    public List<MigrationLockEntry> Entries { get; }

    /// <summary>Reads the lock file (an absent file is an empty lock).</summary>
    public static MigrationLock Read(string path)
    {
        var entries = new List<MigrationLockEntry>();
        if (!File.Exists(path))
            return new MigrationLock(path, entries);
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
                stream.Load(reader);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
                return new MigrationLock(path, entries);
            if (stream.Documents[0].RootNode is not YamlMappingNode root)
                throw Invalid(path, "its top level is not a mapping of versions", null);
            foreach (var pair in root.Children)
            {
                var version = ((YamlScalarNode)pair.Key).Value ?? string.Empty;
                if (!System.Text.RegularExpressions.Regex.IsMatch(version, @"^\d{14}$"))
                    throw Invalid(path, $"'{version}' is not a migration version (yyyyMMddHHmmss)", null);
                if (entries.Any(e => e.Version == version))
                    throw Invalid(path, $"version {version} is listed twice", null);
                var entry = new MigrationLockEntry { Version = version };
                if (pair.Value is YamlMappingNode fields)
                {
                    foreach (var field in fields.Children)
                    {
                        var key = ((YamlScalarNode)field.Key).Value;
                        var value = (field.Value as YamlScalarNode)?.Value;
                        switch (key)
                        {
                            case "name":
                                entry.Name = value ?? string.Empty;
                                break;
                            case "source":
                                entry.Source = value;
                                break;
                            case "skip":
                                if (!bool.TryParse(value, out var skip))
                                    throw Invalid(path, $"{version}.skip is '{value}', not true or false", null);
                                entry.Skip = skip;
                                break;
                            default:
                                throw Invalid(path, $"{version} has an unknown key '{key}' (name, source and skip are known)", null);
                        }
                    }
                }
                else if (pair.Value is not YamlScalarNode { Value: null or "" })
                {
                    throw Invalid(path, $"{version} is not a mapping of name, source and skip", null);
                }

                entries.Add(entry);
            }
        }
        catch (YamlException ex)
        {
            throw Invalid(path, $"it is not valid YAML (line {ex.Start.Line}): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidCastException)
        {
            throw Invalid(path, ex.Message, ex);
        }

        return new MigrationLock(path, entries);
    }

    /// <summary>Writes the lock file (atomically: a temporary file renamed over it).</summary>
    public void Write()
    {
        var root = new YamlMappingNode();
        foreach (var entry in Entries)
        {
            var fields = new YamlMappingNode { { "name", entry.Name } };
            if (!string.IsNullOrEmpty(entry.Source))
                fields.Add("source", entry.Source!);
            fields.Add("skip", new YamlScalarNode(entry.Skip ? "true" : "false"));
            root.Add(new YamlScalarNode(entry.Version) { Style = ScalarStyle.DoubleQuoted }, fields);
        }

        var temp = Path + ".tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            using (var writer = new StreamWriter(temp))
            {
                writer.WriteLine("# Schema migrations lock: the order Invoke-SchemaMigration runs them in (top to bottom).");
                writer.WriteLine("# Commit this file. Reorder entries or set skip: true by hand; new migrations are appended after a run.");
                new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
            }

            if (File.Exists(Path))
                File.Replace(temp, Path, null);
            else
                File.Move(temp, Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid(Path, "it cannot be written: " + ex.Message, ex);
        }
    }

    private static MigrationException Invalid(string path, string what, Exception? inner) =>
        new(
            ErrorIds.MigrationLockInvalid,
            MigrationErrorKind.InvalidInput,
            path,
            $"The migrations lock file {path} cannot be used: {what}.",
            "fix the file (a mapping of \"yyyyMMddHHmmss\": { name: ..., source: ..., skip: false }), or move it aside to start a "
                + "new one from the migrations' dates.",
            inner
        );
}
