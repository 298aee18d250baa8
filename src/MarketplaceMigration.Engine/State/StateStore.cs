using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;

namespace MarketplaceMigration.Engine.State;

/// <summary>
/// Reads and writes <c>migration.state</c>: JSON with a schema version, written atomically with
/// owner-only permissions after every step and every copied chunk. A missing file is "no run".
/// An unreadable file, or one from a newer version, is refused, never overwritten.
/// </summary>
public sealed class StateStore
{
    /// <summary>The state file's name inside the state directory.</summary>
    public const string FileName = "migration.state";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A store in <paramref name="directory"/>.</summary>
    public StateStore(string directory)
    {
        Directory = directory;
        Path = System.IO.Path.Combine(directory, FileName);
    }

    /// <summary>The state directory.</summary>
    public string Directory { get; }

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>The stored state, or null when no run ever wrote one.</summary>
    public MigrationState? Load()
    {
        if (!File.Exists(Path))
            return null;
        MigrationState? state;
        try
        {
            state = JsonSerializer.Deserialize<MigrationState>(File.ReadAllText(Path), Json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw Incompatible(
                $"The state file {Path} cannot be read: it is not a state file this module wrote, or it was cut short ({ex.Message}).",
                ex
            );
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(
                ErrorIds.StateIncompatible,
                MigrationErrorKind.Permission,
                Path,
                $"The state file {Path} cannot be read: {ex.Message}",
                "run as the user that owns it (it is readable by its owner only).",
                ex
            );
        }

        if (state is null || state.Steps.Count == 0)
            throw Incompatible($"The state file {Path} is empty or holds no steps.", null);
        if (state.SchemaVersion > MigrationState.CurrentSchemaVersion)
        {
            throw Incompatible(
                $"The state file {Path} was written by a newer MarketplaceMigration (state format {state.SchemaVersion}; this "
                    + $"version reads {MigrationState.CurrentSchemaVersion}).",
                null
            );
        }

        return state;
    }

    /// <summary>
    /// Refuses a state directory the run could not write its state to, before anything changes: a file
    /// standing where the directory should be, or a directory this process cannot write.
    /// </summary>
    public static void EnsureUsable(string directory)
    {
        if (File.Exists(directory))
        {
            throw new MigrationException(
                ErrorIds.StateDirectoryUnusable,
                MigrationErrorKind.InvalidInput,
                directory,
                $"A file stands where the run's state directory should be: {directory}. Nothing was changed.",
                "move that file away (the run keeps migration.state and migration.lock in this directory), or set stateDirectory "
                    + "in the profile to another directory, then rerun."
            );
        }

        var probe = System.IO.Path.Combine(directory, $".mm-write-probe-{Guid.NewGuid():N}");
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            File.WriteAllBytes(probe, Array.Empty<byte>());
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(
                ErrorIds.StateDirectoryUnusable,
                MigrationErrorKind.Permission,
                directory,
                $"The run's state directory {directory} cannot be written by this user ({ex.Message}). Nothing was changed.",
                "run as the user that owns the Shopware installation, fix the directory's permissions (the run needs to create "
                    + "files in it), or set stateDirectory in the profile to a writable directory, then rerun.",
                ex
            );
        }
    }

    /// <summary>Writes the state atomically (owner-only). A failure here fails the run: an unsaved checkpoint must never go unnoticed.</summary>
    public void Save(MigrationState state)
    {
        if (state is null)
            throw new ArgumentNullException(nameof(state));
        state.UpdatedAt = DateTimeOffset.UtcNow;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            PosixFile.WriteAtomically(Path, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(state, Json)), PosixFile.OwnerReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(
                ErrorIds.StateWriteFailed,
                MigrationErrorKind.Permission,
                Path,
                $"The state file {Path} could not be written ({ex.Message}). The run stopped so that no progress goes unrecorded; "
                    + "the maintenance gate stays as it is.",
                $"free space or fix permissions in {Directory}, then rerun the same command.",
                ex
            );
        }
    }

    /// <summary>Moves a finished run's state aside (<c>migration.state.&lt;runId&gt;.done</c>), so the next run starts fresh and the history stays.</summary>
    public void Archive(MigrationState state)
    {
        if (state is null)
            throw new ArgumentNullException(nameof(state));
        var archived = System.IO.Path.Combine(Directory, $"{FileName}.{state.RunId}.done");
        if (File.Exists(archived))
            File.Delete(archived);
        File.Move(Path, archived);
    }

    private MigrationException Incompatible(string message, Exception? inner) =>
        new(
            ErrorIds.StateIncompatible,
            MigrationErrorKind.CheckpointIncompatible,
            Path,
            message,
            "nothing was changed. Inspect the file; if no run is in progress (check both selectors with Get-DataLocation and the "
                + "gate with Get-MaintenanceGate), move it aside and start again.",
            inner
        );
}
