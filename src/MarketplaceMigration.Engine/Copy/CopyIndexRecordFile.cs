using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Infrastructure;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Where <c>Copy-DataPlane</c>, which keeps no run state, records the secondary indexes it dropped
/// for its load: <c>copy-deferred-indexes.json</c> in the state directory, written atomically before
/// every drop and after every rebuild, deleted when nothing is left. A stopped copy's rerun rebuilds
/// them; a ten-step run into the same target takes the record over into its state file.
/// </summary>
public static class CopyIndexRecordFile
{
    /// <summary>The file's name inside the state directory.</summary>
    public const string FileName = "copy-deferred-indexes.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private sealed class Content
    {
        public string Target { get; set; } = string.Empty;

        public Dictionary<string, List<string>> Tables { get; set; } = new(StringComparer.Ordinal);
    }

    /// <summary>A record backed by the file for <paramref name="target"/>, holding what a stopped copy into that target left.</summary>
    public static DeferredIndexRecord Open(string stateDirectory, ConnectionTarget target)
    {
        if (target is null)
            throw new ArgumentNullException(nameof(target));
        var path = Path.Combine(stateDirectory, FileName);
        var content = Read(path);
        if (content.Target != target.Endpoint.ToString() && content.Tables.Count > 0)
        {
            throw new Errors.MigrationException(
                Errors.ErrorIds.RunInProgress,
                Errors.MigrationErrorKind.PreflightFailed,
                path,
                $"A stopped Copy-DataPlane into {content.Target} left the secondary indexes of "
                    + $"{string.Join(", ", content.Tables.Keys)} dropped there (recorded in {path}).",
                $"rerun that copy (Copy-DataPlane toward {content.Target}) so it rebuilds them, or add them back by hand (the "
                    + "file lists their definitions) and move the file aside."
            );
        }

        content.Target = target.Endpoint.ToString();
        return new DeferredIndexRecord(content.Tables, () => Write(path, content), new object(), path);
    }

    /// <summary>Moves what a stopped copy into <paramref name="target"/> left into a run's record, saving the run's first.</summary>
    public static void TakeOver(string stateDirectory, ConnectionTarget target, IDictionary<string, List<string>> into, Action save)
    {
        if (into is null)
            throw new ArgumentNullException(nameof(into));
        if (save is null)
            throw new ArgumentNullException(nameof(save));
        if (target is null)
            throw new ArgumentNullException(nameof(target));
        var path = Path.Combine(stateDirectory, FileName);
        var content = Read(path);
        if (content.Tables.Count == 0 || content.Target != target.Endpoint.ToString())
            return;
        foreach (var table in content.Tables)
            if (!into.ContainsKey(table.Key))
                into[table.Key] = table.Value;
        save();
        File.Delete(path);
    }

    private static Content Read(string path)
    {
        if (!File.Exists(path))
            return new Content();
        Content? content;
        try
        {
            content = JsonSerializer.Deserialize<Content>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new Errors.MigrationException(
                Errors.ErrorIds.StateIncompatible,
                Errors.MigrationErrorKind.CheckpointIncompatible,
                path,
                $"The record of secondary indexes a stopped Copy-DataPlane dropped, {path}, cannot be read ({ex.Message}).",
                "inspect it: it lists index definitions to add back to the target's tables (ALTER TABLE ... ADD ...); once they "
                    + "are back, move it aside and rerun.",
                ex
            );
        }

        return content ?? new Content();
    }

    private static void Write(string path, Content content)
    {
        if (content.Tables.Count == 0)
        {
            if (File.Exists(path))
                File.Delete(path);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        PosixFile.WriteAtomically(path, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(content, Json)), PosixFile.OwnerReadWrite);
    }
}
