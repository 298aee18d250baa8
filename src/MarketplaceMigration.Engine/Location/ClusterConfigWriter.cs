using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;

namespace MarketplaceMigration.Engine.Location;

/// <summary>
/// Rewrites <c>db.connection.active</c> in the cluster's config file and nothing else: the value's
/// bytes are replaced in place, so every other key, value, its order and formatting stay exactly as
/// they were. The new file is written beside the old one (same mode and owner) and renamed over it,
/// after a backup; a reader sees the old file or the new one, never a torn one.
/// </summary>
public static class ClusterConfigWriter
{
    /// <summary>Sets <c>db.connection.active</c> to <paramref name="active"/>; returns the backup's path.</summary>
    public static string SetActive(string path, string active, string backupSuffix)
    {
        try
        {
            var original = File.ReadAllBytes(path);
            var updated = Replace(original, active);
            var backup = path + "." + backupSuffix + ".bak";
            if (!File.Exists(backup))
            {
                File.Copy(path, backup);
                PosixFile.Chmod(backup, PosixFile.OwnerReadWrite); // it holds both ends' passwords
            }
            var temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
            File.Copy(path, temp, overwrite: true); // same mode as the original
            KeepOwner(path, temp);
            using (var stream = new FileStream(temp, FileMode.Truncate, FileAccess.Write, FileShare.None))
            {
                stream.Write(updated, 0, updated.Length);
                stream.Flush(flushToDisk: true);
            }

            File.Replace(temp, path, null);
            return backup;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(
                ErrorIds.ClusterConfigWriteFailed,
                MigrationErrorKind.Permission,
                path,
                $"The cluster config file {path} could not be rewritten: {ex.Message}",
                "run as a user that may write the file and its directory (the cluster's user or root), then rerun; the gate stays set and nothing is split.",
                ex
            );
        }
    }

    /// <summary>The file's bytes with <c>db.connection.active</c> set (added when absent).</summary>
    public static byte[] Replace(byte[] json, string active)
    {
        var span = FindActive(json);
        var encoded = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(active));
        if (span is null)
        {
            // No selector yet: add it (the file is rewritten as JSON; other keys and values are kept).
            var node = JsonNode.Parse(json)!;
            node["db"]!["connection"]!["active"] = active;
            return Encoding.UTF8.GetBytes(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        var (start, length) = span.Value;
        var result = new byte[json.Length - length + encoded.Length];
        Buffer.BlockCopy(json, 0, result, 0, start);
        Buffer.BlockCopy(encoded, 0, result, start, encoded.Length);
        Buffer.BlockCopy(json, start + length, result, start + encoded.Length, json.Length - start - length);
        return result;
    }

    private static (int Start, int Length)? FindActive(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var path = new List<string?>();
        string? pending = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pending = reader.GetString();
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    path.Add(pending);
                    pending = null;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
                default:
                    if (
                        pending == "active"
                        && path.Count == 3
                        && path[1] == "db"
                        && path[2] == "connection"
                        && reader.TokenType == JsonTokenType.String
                    )
                    {
                        var start = (int)reader.TokenStartIndex;
                        return (start, (int)reader.BytesConsumed - start);
                    }

                    pending = null;
                    break;
            }
        }

        return null;
    }

    private static void KeepOwner(string original, string copy)
    {
        // File.Copy keeps the mode; the owner matters when root rewrites a file the cluster's user must read.
        try
        {
            using var chown = Process.Start(
                new ProcessStartInfo("chown", $"--reference=\"{original}\" \"{copy}\"")
                {
                    UseShellExecute = false,
                    RedirectStandardError = true,
                    CreateNoWindow = true,
                }
            );
            chown?.WaitForExit(5000);
        }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>
    /// Removes the backup a run's flip wrote (<c>&lt;file&gt;.&lt;suffix&gt;.bak</c>) once the run that it
    /// protects has finished: it holds passwords, and recovery no longer needs it. Returns whether one was removed.
    /// </summary>
    public static bool RemoveBackup(string path, string backupSuffix)
    {
        var backup = path + "." + backupSuffix + ".bak";
        if (!File.Exists(backup))
            return false;
        File.Delete(backup);
        return true;
    }
}
