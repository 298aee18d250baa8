using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Infrastructure;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>Operator commands (restart, ping) run through the real shell: their whole output is kept, and a daemon they leave behind does not hold the run.</summary>
public sealed class ShellCommandTests
{
    [Fact]
    public async Task TheLastLinesOfACommandThatExitsAtOnceAreKept()
    {
        // The Exited event can come before the last line of a redirected stream is handed over (a restart
        // command's error once lost its reason this way in CI): every run of a quick failing command keeps it.
        for (var i = 0; i < 100; i++)
        {
            var result = await ShellCommand.RunAsync("echo started; echo cannot restart now >&2; exit 3", Path.GetTempPath(),
                TimeSpan.FromSeconds(30), CancellationToken.None);

            Assert.Equal(3, result.ExitCode);
            Assert.Contains("cannot restart now", result.Output);
            Assert.Contains("started", result.Output);
        }
    }

    [Fact]
    public async Task ADaemonThatKeepsTheOutputOpenDoesNotHoldTheRun()
    {
        // A restart command may start a service that inherits the pipes: the command's end is its shell's exit.
        var watch = Stopwatch.StartNew();
        var result = await ShellCommand.RunAsync("echo restarted; sleep 8 & exit 0", Path.GetTempPath(), TimeSpan.FromSeconds(60),
            CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Contains("restarted", result.Output);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"took {watch.Elapsed.TotalSeconds:0.0} s");
    }
}
