using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MarketplaceMigration.Engine.Infrastructure;

namespace MarketplaceMigration.Engine.Cluster;

/// <summary>
/// Which processes listen on given TCP ports, read from /proc on Linux (the documented failure mode
/// is a stale worker still owning 1339/1439). Best effort: processes of other users are named only
/// where the system lets us read their file descriptors.
/// </summary>
public static class PortOwners
{
    /// <summary>One line per listening socket, e.g. <c>port 1439: pid 4242 (php bin/flyok-cluster worker)</c>; empty when nothing
    /// listens or /proc is absent.</summary>
    public static IReadOnlyList<string> Describe(params int[] ports)
    {
        var lines = new List<string>();
        try
        {
            var inodes = new Dictionary<string, int>();
            foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
            {
                foreach (var row in File.ReadAllLines(table).Skip(1))
                {
                    var f = row.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length < 10 || f[3] != "0A")
                        continue; // 0A = LISTEN
                    var port = int.Parse(f[1].Substring(f[1].LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (ports.Contains(port))
                        inodes[f[9]] = port;
                }
            }

            if (inodes.Count == 0)
                return lines;
            var found = new HashSet<string>();
            foreach (var dir in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
            {
                string[] fds;
                try
                {
                    fds = Directory.GetFiles(Path.Combine(dir, "fd"));
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
                {
                    continue;
                }
                foreach (var fd in fds)
                {
                    var target = ReadLink(fd);
                    if (target == null || !target.StartsWith("socket:[", StringComparison.Ordinal))
                        continue;
                    var inode = target.Substring(8).TrimEnd(']');
                    if (!inodes.TryGetValue(inode, out var port))
                        continue;
                    var pid = Path.GetFileName(dir);
                    var command = SafeRead(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                    lines.Add($"port {port}: pid {pid} ({(command.Length > 120 ? command.Substring(0, 120) + "..." : command)})");
                    found.Add(inode);
                }
            }

            lines.AddRange(
                inodes
                    .Where(i => !found.Contains(i.Key))
                    .Select(i => $"port {i.Value}: a process this user may not inspect (try: ss -lntp | grep {i.Value})")
            );
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException) { }

        return lines.Distinct().ToList();
    }

    private static string? ReadLink(string path) => PosixFile.ReadLink(path);

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
