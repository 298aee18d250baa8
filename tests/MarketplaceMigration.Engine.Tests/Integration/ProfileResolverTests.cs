using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Integration;

public sealed class ProfileResolverTests
{
    [Fact]
    public async Task AProfileWithACompleteShopwareBlockNeedsNoDotEnv()
    {
        await using var site = await ShopwareSite.CreateAsync();
        File.Delete(Path.Combine(site.Root, ".env"));
        var server = site.Shopware.Server;
        var profilePath = Path.Combine(site.Root, "profile.json");
        File.WriteAllText(profilePath,
            $"{{ \"shopware\": {{ \"host\": \"{server.Host}\", \"port\": {server.Port}, \"user\": \"{server.User}\", \"database\": \"{site.Shopware.Name}\", \"passwordVariable\": \"MM_SW_PASSWORD\" }} }}");
        var environment = new Dictionary<string, string> { ["MM_SW_PASSWORD"] = server.Password };
        var recorder = new RecordingObserver();

        var resolved = await ProfileResolver.ResolveAsync(new ProfileRequest
        {
            ShopwareRoot = site.Root,
            ProfilePath = profilePath,
            Environment = k => environment.TryGetValue(k, out var v) ? v : null,
        }, recorder, CancellationToken.None);

        Assert.Equal("the shopware block of " + profilePath, resolved.Profile.Shopware.Source);
        Assert.Equal(server.Password, resolved.Shopware.Password);
        Assert.Equal(site.Cluster.Server.Password, resolved.Cluster.Password);
        Assert.DoesNotContain(server.Password, string.Join("\n", recorder.Lines));
        Assert.Contains(recorder.Lines, l => l.StartsWith("V Profile file: " + profilePath));
    }

    [Fact]
    public async Task RootFromTheEnvironmentVariable()
    {
        await using var site = await ShopwareSite.CreateAsync();

        var resolved = await ProfileResolver.ResolveAsync(new ProfileRequest
        {
            CurrentDirectory = "/",
            Environment = k => k == "SHOPWARE_ROOT" ? site.Root : null,
        }, NullRunObserver.Instance, CancellationToken.None);

        Assert.Equal(site.Root, resolved.Profile.ShopwareRoot);
    }

    [Fact]
    public async Task TableCheckNamesEveryMissingTableAndTheEndpoint()
    {
        await using var site = await ShopwareSite.CreateAsync();

        var error = await Assert.ThrowsAsync<MigrationException>(() => ProfileResolver.ResolveAsync(
            new ProfileRequest { ShopwareRoot = site.Root, VerifyTables = true }, NullRunObserver.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.TableNotFound, error.ErrorId);
        Assert.Contains("22 table(s) that do not exist in the Shopware database", error.Message);
        Assert.Contains("marketplace:local:schema:apply", error.Message);
    }
}
