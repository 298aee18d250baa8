using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.TestRig;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>What a running migration's state file says, read from outside the process (tests watch it to strike at a moment).</summary>
internal sealed record RunStateSnapshot(string RunId, string[] Steps, long Chunks, RunStatus Status, IReadOnlyCollection<string> CopiedTables)
{
    public bool Done(int step) => Steps.Length >= step && Steps[step - 1] is nameof(StepStatus.Succeeded) or nameof(StepStatus.Skipped);

    public string Where()
    {
        var running = Array.FindIndex(Steps, s => s is nameof(StepStatus.Running) or nameof(StepStatus.Failed));
        var lastDone = Array.FindLastIndex(Steps, s => s is nameof(StepStatus.Succeeded) or nameof(StepStatus.Skipped));
        return running >= 0 ? $"inside step {running + 1} ({Chunks} chunk(s) recorded)" : $"after step {lastDone + 1}";
    }
}

internal static class RunStateFile
{
    public static string PathOf(ShopwareSite site) => Path.Combine(site.Root, "var", "marketplace", "migration.state");

    public static RunStateSnapshot? Read(ShopwareSite site) => Read(PathOf(site));

    /// <summary>The snapshot, or null while the file is missing or being replaced.</summary>
    public static RunStateSnapshot? Read(string path)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(path));
            var root = state.RootElement;
            var copy = root.GetProperty("copy").EnumerateArray().ToList();
            return new RunStateSnapshot(root.GetProperty("runId").GetString()!,
                root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()!).ToArray(),
                copy.Sum(c => c.GetProperty("chunksCopied").GetInt64()),
                Enum.Parse<RunStatus>(root.GetProperty("status").GetString()!),
                copy.Where(c => c.GetProperty("complete").GetBoolean()).Select(c => c.GetProperty("table").GetString()!).ToList());
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
