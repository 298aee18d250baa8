using System;
using System.IO;

namespace MarketplaceMigration.Engine.Online;

/// <summary>
/// How another process speaks to a running online move: a file in the state directory. An
/// orchestrator (or <c>Approve-DataMigrationCutover</c> / <c>Stop-DataMigration</c>) drops it; the run
/// looks for it between replay rounds. A file, not a table: it works whichever database is down, and
/// an approval given before the run reaches its pause is kept.
/// </summary>
public static class RunSignals
{
    /// <summary>The approval to cut over (the pause before cutover ends).</summary>
    public const string ApproveFile = "cutover.approve";

    /// <summary>The request to stop (Stop-DataMigration, while another process runs the move).</summary>
    public const string StopFile = "run.stop";

    /// <summary>Gives the approval.</summary>
    public static string Approve(string stateDirectory) => Touch(stateDirectory, ApproveFile);

    /// <summary>Asks the running move to stop.</summary>
    public static string RequestStop(string stateDirectory) => Touch(stateDirectory, StopFile);

    /// <summary>Whether the cutover is approved.</summary>
    public static bool Approved(string stateDirectory) => File.Exists(Path.Combine(stateDirectory, ApproveFile));

    /// <summary>Whether a stop was asked for.</summary>
    public static bool StopRequested(string stateDirectory) => File.Exists(Path.Combine(stateDirectory, StopFile));

    /// <summary>Removes both signals (a run that ends, or is stopped, leaves none for the next).</summary>
    public static void Clear(string stateDirectory)
    {
        foreach (var name in new[] { ApproveFile, StopFile })
        {
            var path = Path.Combine(stateDirectory, name);
            if (File.Exists(path))
                File.Delete(path);
        }
    }

    private static string Touch(string stateDirectory, string name)
    {
        if (string.IsNullOrEmpty(stateDirectory))
            throw new ArgumentNullException(nameof(stateDirectory));
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, name);
        File.WriteAllText(
            path,
            DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture) + Environment.NewLine
        );
        return path;
    }
}
