using System;
using System.IO;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using Xunit;
using MarketplaceMigration.Engine.Infrastructure;

namespace MarketplaceMigration.Engine.Tests.Unit;

public sealed class ClusterConfigFileTests : TempDirectory
{
    public ClusterConfigFileTests() : base("mm-cluster-") { }

    private string Write(string json) => Write("flyok.config.json", json);

    [Fact]
    public void ReadsTheClusterBlockWithHostOrHostname()
    {
        var withHostname = ClusterConfigFile.Load(Write("""{"db":{"connection":{"active":"cluster","shopware":{},"cluster":{"hostname":"10.0.0.9","port":3307,"username":"fly","password":"s3cret","database":"flyokai"}}}}"""));
        var withHost = ClusterConfigFile.Load(Write("""{"db":{"connection":{"cluster":{"host":"db","port":"3308","username":"fly","database":"flyokai"}}}}"""));

        Assert.Equal("fly@10.0.0.9:3307/flyokai", withHostname.Cluster.ToString());
        Assert.Equal("cluster", withHostname.Active);
        Assert.True(withHostname.HasShopwareBlock);
        Assert.Equal("s3cret", withHostname.Cluster.Password);
        Assert.Equal("fly@db:3308/flyokai", withHost.Cluster.ToString());
        Assert.Null(withHost.Active);
        Assert.Null(withHost.Cluster.Password);
    }

    [Theory]
    [InlineData("""{"db":{"connection":{"cluster":{"hostname":"h","username":"u","password":"s3cret","database":"d"}}""", ErrorIds.ClusterConfigInvalid, "not valid JSON")]
    [InlineData("""{"db":{}}""", ErrorIds.ClusterConnectionMissing, "no 'db.connection' object")]
    [InlineData("""{"db":{"connection":{"active":"default","default":{}}}}""", ErrorIds.ClusterConnectionMissing, "legacy db.connection.default layout")]
    [InlineData("""{"db":{"connection":{"active":1,"cluster":{}}}}""", ErrorIds.ClusterConnectionInvalid, "db.connection.active is not a string")]
    [InlineData("""{"db":{"connection":{"cluster":{"username":"u","database":"d","password":"s3cret"}}}}""", ErrorIds.ClusterConnectionInvalid, "hostname is missing")]
    [InlineData("""{"db":{"connection":{"cluster":{"hostname":"h","database":"d"}}}}""", ErrorIds.ClusterConnectionInvalid, "username is missing")]
    [InlineData("""{"db":{"connection":{"cluster":{"hostname":"h","username":"u","database":"d","port":0}}}}""", ErrorIds.ClusterConnectionInvalid, "port is not a port number")]
    [InlineData("""{"db":{"connection":{"cluster":{"hostname":"h","username":"u","database":"d","password":5}}}}""", ErrorIds.ClusterConnectionInvalid, "password is not a string")]
    public void RejectsNamingTheKeyNeverTheSecret(string json, string errorId, string problem)
    {
        var error = Assert.Throws<MigrationException>(() => ClusterConfigFile.Load(Write(json)));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain("s3cret", error.ToString());
    }

    [Fact]
    public void AMissingFileSaysHowToCreateIt()
    {
        var error = Assert.Throws<MigrationException>(() => ClusterConfigFile.Load(Path.Combine(Dir, "none.json")));

        Assert.Equal((ErrorIds.ClusterConfigNotFound, MigrationErrorKind.NotFound), (error.ErrorId, error.Kind));
        Assert.Contains("marketplace:remote:cluster-config:init", error.Message);
    }
}
