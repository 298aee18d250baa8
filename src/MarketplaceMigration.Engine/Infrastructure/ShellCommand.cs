using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>
/// Runs an operator-configured command line (restart, ping, cache clear) through the shell, in a
/// fresh process, bounded in time, with its output captured. No secret is ever put on a command line.
/// </summary>
public static class ShellCommand
{
    private const int MaxOutput = 64 * 1024;

    /// <summary>Runs <paramref name="commandLine"/> with <c>/bin/sh -c</c> (<c>cmd /c</c> on Windows) in <paramref name="workingDirectory"/>.</summary>
    public static async Task<CommandResult> RunAsync(
        string commandLine,
        string workingDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken
    )
    {
        var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        var start = new ProcessStartInfo(windows ? "cmd.exe" : "/bin/sh", windows ? "/c " + commandLine : "-c " + Quote(commandLine))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line == null)
                return;
            lock (output)
            {
                output.Append(line).Append('\n');
                if (output.Length > MaxOutput)
                    output.Remove(0, output.Length - MaxOutput);
            }
        }

        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Each stream's end (a null line): the Exited event can come before the last lines are handed over.
        var outputEnded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errorEnded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult(true);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null)
                outputEnded.TrySetResult(true);
            Append(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null)
                errorEnded.TrySetResult(true);
            Append(e.Data);
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timer = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (linked.Token.Register(() => cancelled.TrySetResult(true)))
        {
            await Task.WhenAny(exited.Task, cancelled.Task).ConfigureAwait(false);
        }

        var timedOut = false;
        if (!process.HasExited)
        {
            timedOut = timer.IsCancellationRequested;
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
        }

        // The last lines: the shell has exited, but its output may still be on its way to the handlers above
        // (WaitForExit with a timeout does not wait for it). A restart command may leave a daemon behind that
        // still holds the pipes, so their end is awaited for two seconds at most.
        process.WaitForExit(2000);
        await Task.WhenAny(Task.WhenAll(outputEnded.Task, errorEnded.Task), Task.Delay(2000, CancellationToken.None)).ConfigureAwait(false);
        lock (output)
        {
            return new CommandResult(timedOut ? -1 : process.ExitCode, output.ToString(), timedOut, watch.Elapsed.TotalSeconds);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            // The shell's children (the real command) must go too; netstandard2.0 has no Kill(entireProcessTree).
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                using var pkill = Process.Start(
                    new ProcessStartInfo("pkill", "-KILL -P " + process.Id) { UseShellExecute = false, CreateNoWindow = true }
                );
                pkill?.WaitForExit(2000);
            }

            process.Kill();
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>
    /// One argument for ProcessStartInfo.Arguments, which .NET splits by the Windows (MSVC) rules on
    /// every platform (netstandard2.0 has no ArgumentList): double quotes, with quotes and the
    /// backslashes before them escaped.
    /// </summary>
    internal static string Quote(string text)
    {
        var b = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in text)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (c == '"')
            {
                b.Append('\\', (backslashes * 2) + 1).Append('"');
            }
            else
            {
                b.Append('\\', backslashes).Append(c);
            }

            backslashes = 0;
        }

        return b.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
