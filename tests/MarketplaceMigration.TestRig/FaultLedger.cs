using System;
using System.Globalization;
using System.IO;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// The fault suite's ledger: each kill point, fault and bad input a test exercised, with the rows it
/// compared independently and the rows it found lost, one tab-separated line per entry, appended to
/// <c>MM_SUITE_RESULTS</c> (CI sets it and prints the totals) or fault-suite.tsv beside the tests.
/// </summary>
public static class FaultLedger
{
    private static readonly object Gate = new();

    /// <summary>Where the ledger is written.</summary>
    public static string Path => Environment.GetEnvironmentVariable("MM_SUITE_RESULTS") is { Length: > 0 } path
        ? path : System.IO.Path.Combine(AppContext.BaseDirectory, "fault-suite.tsv");

    /// <summary>A kill -9 of the migrating process at a point; the run was then finished and compared.</summary>
    public static void KillPoint(string name, long rowsCompared = 0, long rowsLost = 0) => Write("kill", name, rowsCompared, rowsLost);

    /// <summary>A fault injected into a run, which then stopped or resumed to a correct end.</summary>
    public static void Fault(string name, long rowsCompared = 0, long rowsLost = 0) => Write("fault", name, rowsCompared, rowsLost);

    /// <summary>A network fault (a reset, a stall, a slow link through <see cref="FaultProxy"/>) the run recovered from.</summary>
    public static void NetworkFault(string name, long rowsCompared = 0, long rowsLost = 0) => Write("network", name, rowsCompared, rowsLost);

    /// <summary>A bad input refused with its error id before anything changed.</summary>
    public static void BadInput(string name, string errorId) => Write("bad-input", name + " -> " + errorId, 0, 0);

    private static void Write(string kind, string name, long rowsCompared, long rowsLost)
    {
        var line = string.Join("\t", kind, name.Replace('\t', ' '), rowsCompared.ToString(CultureInfo.InvariantCulture), rowsLost.ToString(CultureInfo.InvariantCulture)) + "\n";
        lock (Gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            File.AppendAllText(Path, line);
        }
    }
}
