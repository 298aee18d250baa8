using System.Collections.Generic;
using System.IO;
using MarketplaceMigration.Engine.Cluster;
using MarketplaceMigration.Engine.Copy;
using Xunit;
using MarketplaceMigration.Engine.Infrastructure;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>The step-1 checks that find, before the gate, what would fail behind it.</summary>
public sealed class PreflightChecksTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("echo cannot restart now >&2; exit 3")]
    [InlineData("sh -c 'exit 0'")]
    [InlineData("FOO=1 BAR='a b' sh -c true")]
    [InlineData("exec env -i sh -c true")]
    [InlineData("(cd /tmp && ./restart)")]
    [InlineData("if true; then no-such-program; fi")]
    public void CommandsThatCanStartPass(string command) => Assert.Null(CommandLookup.WhyNot(command, Path.GetTempPath()));

    [Theory]
    [InlineData("no-such-restart-command --now", "is not on the PATH")]
    [InlineData("FOO=1 no-such-restart-command", "'no-such-restart-command'")]
    [InlineData("nohup env -i no-such-restart-command", "'no-such-restart-command'")]
    [InlineData("./bin/no-such-console marketplace:ping", "does not exist")]
    [InlineData("'/opt/flyokai/no such/restart' now", "'/opt/flyokai/no such/restart' does not exist")]
    [InlineData("   ", "empty")]
    public void CommandsThatCannotStartAreNamed(string command, string reason)
        => Assert.Contains(reason, CommandLookup.WhyNot(command, Path.GetTempPath()));

    [Fact]
    public void AScriptWithoutTheExecuteBitIsNamed()
    {
        var directory = Directory.CreateTempSubdirectory("mm-lookup-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "restart.sh"), "#!/bin/sh\nexit 0\n");
            Assert.Contains("is not executable", CommandLookup.WhyNot("./restart.sh", directory));
            File.SetUnixFileMode(Path.Combine(directory, "restart.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.Null(CommandLookup.WhyNot("./restart.sh", directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ReadOnlySwitchesAreReadInBothSpellings()
    {
        // MariaDB 10.11 (SHOW VARIABLES, captured): read_only, innodb_read_only and tx_read_only.
        var mariaDb = new Dictionary<string, string> { ["read_only"] = "OFF", ["innodb_read_only"] = "OFF", ["tx_read_only"] = "OFF" };
        Assert.Empty(TargetCapabilities.ReadOnlyOn(mariaDb));
        mariaDb["read_only"] = "ON";
        Assert.Equal(new[] { "read_only = ON" }, TargetCapabilities.ReadOnlyOn(mariaDb));

        // MySQL 8 (captured): super_read_only, and transaction_read_only beside its old name.
        var mySql = new Dictionary<string, string> { ["read_only"] = "ON", ["super_read_only"] = "ON", ["innodb_read_only"] = "OFF", ["transaction_read_only"] = "ON", ["tx_read_only"] = "ON" };
        Assert.Equal(new[] { "read_only = ON", "super_read_only = ON", "transaction_read_only = ON" }, TargetCapabilities.ReadOnlyOn(mySql));
        Assert.Equal(new[] { "tx_read_only = ON" }, TargetCapabilities.ReadOnlyOn(new Dictionary<string, string> { ["tx_read_only"] = "1" }));
    }
}
