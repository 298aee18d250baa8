using System;
using System.IO;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

public sealed class ProfileFileTests : TempDirectory
{
    public ProfileFileTests() : base("mm-profile-") { }

    private string Write(string json) => Write("profile.json", json);

    [Fact]
    public void ReadsEveryKeyAndResolvesRelativePaths()
    {
        var profile = ProfileFile.Load(Write("""
            {
              // comments are allowed in a profile
              "shopwareRoot": "shop",
              "clusterConfigPath": "/srv/flyokai/storage/flyok.config.json",
              "tables": ["flyokai_seller", "flyokai_payout"],
              "stateDirectory": "state",
              "restartCommand": "systemctl restart flyokai-cluster",
              "smokeCommand": "php bin/console marketplace:ping",
              "cacheClearCommand": "php bin/console cache:pool:clear cache.object",
              "flyokaiHost": "10.0.0.5",
              "channelPort": 2439,
              "httpPort": "2339",
              "shopware": { "host": "db", "port": 3307, "user": "shop", "database": "sw", "passwordVariable": "SW_PW", "sslMode": "VerifyCA", "sslCa": "ca.pem" },
              "cluster": { "user": "flyokai" },
              "timeouts": { "portSeconds": 45, "drainSeconds": 120 },
              "throttle": { "maxRowsPerSecond": 20000, "pauseWhen": { "status": "Threads_running", "above": 20 } },
            }
            """));

        Assert.Equal(Path.Combine(Dir, "shop"), profile.ShopwareRoot);
        Assert.Equal(Path.Combine(Dir, "state"), profile.StateDirectory);
        Assert.Equal(new[] { "flyokai_seller", "flyokai_payout" }, profile.Tables);
        Assert.Equal(2439, profile.ChannelPort);
        Assert.Equal(2339, profile.HttpPort);
        Assert.Equal(("db", 3307, "shop", "sw", "SW_PW", "VerifyCA"), (profile.Shopware!.Host, profile.Shopware.Port, profile.Shopware.User, profile.Shopware.Database, profile.Shopware.PasswordVariable, profile.Shopware.SslMode));
        Assert.Equal(Path.Combine(Dir, "ca.pem"), profile.Shopware.SslCa);
        Assert.True(profile.Shopware.IsComplete);
        Assert.False(profile.Cluster!.IsComplete);
        Assert.Equal(45, profile.Timeouts["portSeconds"]);
        Assert.Equal(120, profile.Timeouts["drainSeconds"]);
        Assert.Equal((20000, "Threads_running", 20L), (profile.MaxRowsPerSecond, profile.PauseStatus, profile.PauseAbove));
    }

    [Theory]
    [InlineData("{ \"shopware\": { \"password\": \"s3cret\" } }", "holds a password inline at 'shopware.password'")]
    [InlineData("{ \"Password\": \"s3cret\" }", "holds a password inline at 'Password'")]
    [InlineData("{ \"tabels\": [] }", "unknown key 'tabels'")]
    [InlineData("{ \"cluster\": { \"hostname\": \"x\" } }", "unknown key 'cluster.hostname'")]
    [InlineData("{ \"tables\": \"flyokai_seller\" }", "'tables' that is not an array")]
    [InlineData("{ \"channelPort\": \"abc\" }", "'channelPort' that is not a port number")]
    [InlineData("{ \"channelPort\": 70000 }", "'channelPort' that is not a port number")]
    [InlineData("{ \"shopware\": { \"sslMode\": \"Always\" } }", "'shopware.sslMode' = 'Always'")]
    [InlineData("{ \"timeouts\": { \"portSeconds\": 0 } }", "'timeouts.portSeconds' that is not a number of seconds")]
    [InlineData("{ \"restartCommand\": \"\" }", "'restartCommand' that is not a non-empty string")]
    [InlineData("[1, 2]", "is not a JSON object")]
    [InlineData("{ \"throttle\": { \"pauseWhen\": { \"status\": \"1; DROP TABLE x\", \"above\": 1 } } }", "without a status variable name")]
    [InlineData("{ \"throttle\": { \"maxRowsPerSecond\": 0 } }", "'throttle.maxRowsPerSecond' that is not a number of rows per second")]
    [InlineData("{ \"throttle\": { \"pauseWhen\": { \"query\": \"SELECT 1\" } } }", "unknown key 'throttle.pauseWhen.query'")]
    [InlineData("{ \"tables\": [ }", "is not valid JSON")]
    public void RejectsWithAClearMessage(string json, string problem)
    {
        var error = Assert.Throws<MigrationException>(() => ProfileFile.Load(Write(json)));

        Assert.Equal(ErrorIds.ProfileInvalid, error.ErrorId);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void AMissingFileIsNotFound()
    {
        var error = Assert.Throws<MigrationException>(() => ProfileFile.Load(Path.Combine(Dir, "nope.json")));

        Assert.Equal((ErrorIds.ProfileNotFound, MigrationErrorKind.NotFound), (error.ErrorId, error.Kind));
    }
}
