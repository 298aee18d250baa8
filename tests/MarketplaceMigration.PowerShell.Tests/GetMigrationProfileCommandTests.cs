using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.PowerShell.Tests;

public sealed class GetMigrationProfileCommandTests
{
    private const string Cmdlet = "MarketplaceMigration.PowerShell.Cmdlets.GetMigrationProfileCommand";

    private static PsRun Run(ShopwareSite site, string extra = "", bool allStreams = true)
        => PsHost.Invoke($"Get-MigrationProfile -ShopwareRoot $root {extra}", new Dictionary<string, object?> { ["root"] = site.Root }, allStreams);

    [Fact]
    public async Task ResolvesAShopwareLikeRoot()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true);

        var run = Run(site).AssertNoErrors();

        var profile = Assert.Single(run.Objects<MigrationProfile>());
        Assert.Equal(site.Root, profile.ShopwareRoot);
        Assert.Equal($"{site.Shopware.Server.User}@127.0.0.1:{site.Shopware.Server.Port}/{site.Shopware.Name}", profile.Shopware.ToString());
        Assert.Equal($"{site.Cluster.Server.User}@127.0.0.1:{site.Cluster.Server.Port}/{site.Cluster.Name}", profile.Cluster.ToString());
        Assert.Equal("DATABASE_URL in " + Path.Combine(site.Root, ".env"), profile.Shopware.Source);
        Assert.Equal("db.connection.cluster in " + site.ClusterConfigPath, profile.Cluster.Source);
        Assert.Equal(22, profile.Tables.Count);
        Assert.Equal("the documented data plane", profile.TablesSource);
        Assert.Equal("shopware", profile.DataLocation);
        Assert.Equal("shopware", profile.ClusterActive);
        Assert.True(profile.DataLocationAgrees);
        Assert.False(profile.MaintenanceGate);
        Assert.Equal(site.ClusterConfigPath, profile.ClusterConfigPath);
        Assert.Equal("true", profile.ClusterRestartCommand);
        Assert.Equal("php bin/console marketplace:ping", profile.SmokeCommand);
        Assert.Equal(1439, profile.ChannelPort);
        Assert.Equal(1339, profile.HttpPort);
        Assert.Equal(Path.Combine(site.Root, "var", "marketplace"), profile.StateDirectory);
        Assert.Empty(run.Warnings);
        Assert.Contains(run.Verbose, v => v.Message.Contains("Shopware root: " + site.Root));
        foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, run.AllText());
    }
}
