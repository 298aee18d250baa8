using System;
using System.IO;
using System.Runtime.InteropServices;

namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>
/// Owner-only permissions and durable, atomic replacement of small files (state, lock, cluster
/// config). netstandard2.0 has no chmod, so libc is called on Unix; on Windows the ACLs of the
/// directory apply.
/// </summary>
internal static class PosixFile
{
    /// <summary>rw------- .</summary>
    public const int OwnerReadWrite = 0x180;

    // The path goes as NUL-terminated UTF-8 bytes: netstandard2.0 has no UTF-8 string marshalling.
    [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static extern int NativeChmod(byte[] path, uint mode);

    [DllImport("libc", EntryPoint = "readlink", SetLastError = true)]
    private static extern IntPtr NativeReadLink(byte[] path, byte[] buffer, IntPtr size);

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int NativeAccess(byte[] path, int mode);

    /// <summary>Whether this process may execute <paramref name="path"/> (access X_OK; on Windows: it exists).</summary>
    public static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
            return false;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return true;
        return NativeAccess(System.Text.Encoding.UTF8.GetBytes(path + "\0"), 1) == 0;
    }

    /// <summary>The target of a symbolic link, or null (netstandard2.0 has no FileInfo.LinkTarget).</summary>
    public static string? ReadLink(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return null;
        var buffer = new byte[4096];
        var length = NativeReadLink(System.Text.Encoding.UTF8.GetBytes(path + "\0"), buffer, (IntPtr)buffer.Length).ToInt64();
        return length <= 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    /// <summary>Sets the Unix mode of a file (no-op on Windows).</summary>
    public static void Chmod(string path, int mode)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return;
        if (NativeChmod(System.Text.Encoding.UTF8.GetBytes(path + "\0"), (uint)mode) != 0)
        {
            throw new IOException($"chmod {Convert.ToString(mode, 8)} {path} failed (errno {Marshal.GetLastWin32Error()}).");
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> atomically: a temporary file in the
    /// same directory with <paramref name="mode"/>, flushed to disk, then renamed over the target.
    /// A reader sees the old file or the new one, never a torn one.
    /// </summary>
    public static void WriteAtomically(string path, byte[] content, int mode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                Chmod(temp, mode);
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(path))
                File.Replace(temp, path, null);
            else
                File.Move(temp, path);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
