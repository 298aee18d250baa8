using System;
using System.Diagnostics;
using System.IO;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// A small tmpfs mounted over a directory: a disk that really fills up (ENOSPC) at a chosen size.
/// Needs root (the CI machine runs the tests as root); otherwise it fails with what to do.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="kilobytes"/> KiB over <paramref name="path"/> (created when missing).</summary>
    public static Tmpfs Mount(string path, int kilobytes)
    {
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k,mode=0700", "tmpfs", path);
        if (code != 0) throw new InvalidOperationException($"The full-disk tests mount a small tmpfs and need root with mount rights (run the tests as root, or in a container with CAP_SYS_ADMIN): mount said: {output}");
        return new Tmpfs(path);
    }

    /// <summary>Fills the file system until it is full (a file of zeros named filler).</summary>
    public void Fill()
    {
        using var stream = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Append, FileAccess.Write);
        var block = new byte[4096];
        try
        {
            while (true) stream.Write(block, 0, block.Length);
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
    }

    /// <summary>Frees what <see cref="Fill"/> took.</summary>
    public void Free() => File.Delete(System.IO.Path.Combine(Path, "filler"));

    /// <summary>Unmounts (lazily: a file still open does not keep the mount).</summary>
    public void Dispose() => Run("umount", "-l", Path);

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
