using System;
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
        => PsHost.Invoke(extra.Contains("-ShopwareRoot") ? $"Get-MigrationProfile {extra}" : $"Get-MigrationProfile -ShopwareRoot $root {extra}",
            new Dictionary<string, object?> { ["root"] = site.Root }, allStreams);

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

    // Each malformed or missing piece of the settings, with the error id and category it must give.
    private static readonly Dictionary<string, (Func<ShopwareSite, Task<string>> Arrange, string ErrorId, ErrorCategory Category, string MessagePart)> Faults = new()
    {
        ["root is not a directory"] = (s => Task.FromResult("-ShopwareRoot \"$root/nowhere\""), "ShopwareRootNotFound", ErrorCategory.ObjectNotFound, "is not a directory"),
        ["no .env"] = (s => { File.Delete(Path.Combine(s.Root, ".env")); return Task.FromResult(""); }, "DotEnvNotFound", ErrorCategory.ObjectNotFound, "has no .env"),
        ["no DATABASE_URL"] = (s => { File.WriteAllText(Path.Combine(s.Root, ".env"), "APP_ENV=prod\n"); return Task.FromResult(""); }, "DatabaseUrlNotFound", ErrorCategory.ObjectNotFound, "DATABASE_URL is set neither"),
        ["malformed .env line"] = (s => { File.AppendAllText(Path.Combine(s.Root, ".env"), "this line is wrong\n"); return Task.FromResult(""); }, "DotEnvInvalid", ErrorCategory.InvalidArgument, ".env cannot be read: this is not KEY=value"),
        ["unquoted value with a space"] = (s => { File.WriteAllText(Path.Combine(s.Root, ".env.local"), "APP_NAME=my shop\n"); return Task.FromResult(""); }, "DotEnvInvalid", ErrorCategory.InvalidArgument, "must be surrounded by quotes"),
        ["DATABASE_URL with another scheme"] = (s => { File.WriteAllText(Path.Combine(s.Root, ".env.local"), "DATABASE_URL=" + s.DatabaseUrl.Replace("mysql://", "postgresql://") + "\n"); return Task.FromResult(""); }, "DatabaseUrlInvalid", ErrorCategory.InvalidArgument, "scheme is 'postgresql'"),
        ["DATABASE_URL with a non-numeric port"] = (s => { File.WriteAllText(Path.Combine(s.Root, ".env.local"), "DATABASE_URL=" + s.DatabaseUrl.Replace(":" + s.Shopware.Server.Port + "/", ":db/") + "\n"); return Task.FromResult(""); }, "DatabaseUrlInvalid", ErrorCategory.InvalidArgument, "port 'db' is not a number"),
        ["DATABASE_URL without a database"] = (s => { File.WriteAllText(Path.Combine(s.Root, ".env.local"), "DATABASE_URL=" + s.DatabaseUrl.Substring(0, s.DatabaseUrl.LastIndexOf('/')) + "\n"); return Task.FromResult(""); }, "DatabaseUrlInvalid", ErrorCategory.InvalidArgument, "names no database"),
        ["wrong password"] = (s => { File.WriteAllText(Path.Combine(s.Root, ".env.local"), "DATABASE_URL=" + s.DatabaseUrl.Replace(Uri.EscapeDataString(s.Shopware.Server.Password), "wrong") + "\n"); return Task.FromResult(""); }, "AccessDenied", ErrorCategory.PermissionDenied, "The server refused user"),
        ["unknown database"] = (s => { File.WriteAllText(Path.Combine(s.Root, ".env.local"), "DATABASE_URL=" + s.DatabaseUrl.Replace(s.Shopware.Name, "nosuchdb") + "\n"); return Task.FromResult(""); }, "DatabaseNotFound", ErrorCategory.ObjectNotFound, "'nosuchdb'"),
        ["unreachable server"] = (s => { File.WriteAllText(Path.Combine(s.Root, ".env.local"), "DATABASE_URL=" + s.DatabaseUrl.Replace(":" + s.Shopware.Server.Port + "/", ":1/") + "\n"); return Task.FromResult(""); }, "ServerUnreachable", ErrorCategory.ConnectionError, "Cannot connect to the Shopware endpoint"),
        ["not a Shopware database"] = (async s => { await s.Shopware.ExecuteAsync("DROP TABLE system_config"); return ""; }, "SystemConfigNotFound", ErrorCategory.ObjectNotFound, "has no system_config table"),
        ["channel port is not a number"] = (async s => { await s.SetConfigAsync("flyokaiChannelPort", "abc"); return ""; }, "SystemConfigValueInvalid", ErrorCategory.InvalidArgument, "flyokaiChannelPort does not hold a port number"),
        ["dataLocation is not shopware or cluster"] = (async s => { await s.SetConfigAsync("dataLocation", "remote"); return ""; }, "SystemConfigValueInvalid", ErrorCategory.InvalidArgument, "dataLocation does not hold 'shopware' or 'cluster'"),
        ["system_config value is not {\"_value\": ...}"] = (async s => { await s.SetRawConfigAsync("maintenance", "true"); return ""; }, "SystemConfigValueInvalid", ErrorCategory.InvalidArgument, "{\"_value\": ...}"),
        ["cluster config file missing"] = (s => { File.Delete(s.ClusterConfigPath); return Task.FromResult(""); }, "ClusterConfigNotFound", ErrorCategory.ObjectNotFound, "does not exist"),
        ["cluster config file unreadable"] = (s => { File.Delete(s.ClusterConfigPath); Directory.CreateDirectory(s.ClusterConfigPath); return Task.FromResult(""); }, "ClusterConfigUnreadable", ErrorCategory.PermissionDenied, "cannot be read"),
        ["cluster config file not JSON"] = (s => { s.WriteClusterConfigText(s.DefaultClusterConfig("shopware").ToJsonString().TrimEnd('}')); return Task.FromResult(""); }, "ClusterConfigInvalid", ErrorCategory.InvalidArgument, "is not valid JSON (line 1"),
        ["cluster config file without the cluster block"] = (s => { var c = s.DefaultClusterConfig("shopware"); c["db"]!["connection"]!.AsObject().Remove("cluster"); s.WriteClusterConfig(c); return Task.FromResult(""); }, "ClusterConnectionMissing", ErrorCategory.ObjectNotFound, "has no db.connection.cluster block"),
        ["cluster config file with the legacy layout"] = (s => { s.WriteClusterConfigText("{\"db\":{\"connection\":{\"active\":\"default\",\"default\":{\"hostname\":\"x\"}}}}"); return Task.FromResult(""); }, "ClusterConnectionMissing", ErrorCategory.ObjectNotFound, "legacy db.connection.default layout"),
        ["cluster block without a database"] = (s => { var c = s.DefaultClusterConfig("shopware"); c["db"]!["connection"]!["cluster"]!.AsObject().Remove("database"); s.WriteClusterConfig(c); return Task.FromResult(""); }, "ClusterConnectionInvalid", ErrorCategory.InvalidArgument, "db.connection.cluster.database is missing"),
        ["cluster block with a non-numeric port"] = (s => { var c = s.DefaultClusterConfig("shopware"); c["db"]!["connection"]!["cluster"]!["port"] = "abc"; s.WriteClusterConfig(c); return Task.FromResult(""); }, "ClusterConnectionInvalid", ErrorCategory.InvalidArgument, "db.connection.cluster.port is not a port number"),
        ["table list names the identity plane"] = (s => Task.FromResult("-Table flyokai_seller, flyokai_user"), "TableListInvalid", ErrorCategory.InvalidArgument, "flyokai_user is the identity plane"),
        ["table list names a Shopware table"] = (s => Task.FromResult("-Table flyokai_seller, product"), "TableListInvalid", ErrorCategory.InvalidArgument, "not a flyokai_* marketplace table"),
        ["table list names a table twice"] = (s => Task.FromResult("-Table flyokai_seller, FLYOKAI_SELLER"), "TableListInvalid", ErrorCategory.InvalidArgument, "twice"),
        ["table in the list does not exist"] = (s => Task.FromResult("-Table flyokai_seller, flyokai_sellers"), "TableNotFound", ErrorCategory.ObjectNotFound, "flyokai_sellers"),
        ["profile file missing"] = (s => Task.FromResult("-ProfilePath \"$root/missing.json\""), "ProfileNotFound", ErrorCategory.ObjectNotFound, "does not exist"),
        ["profile holds a password inline"] = (s => Profile(s, "{ \"cluster\": { \"password\": \"x\" } }"), "ProfileInvalid", ErrorCategory.InvalidArgument, "holds a password inline at 'cluster.password'"),
        ["profile has an unknown key"] = (s => Profile(s, "{ \"tabels\": [] }"), "ProfileInvalid", ErrorCategory.InvalidArgument, "unknown key 'tabels'"),
        ["profile is not JSON"] = (s => Profile(s, "{ tables: "), "ProfileInvalid", ErrorCategory.InvalidArgument, "is not valid JSON"),
        ["profile names an unset password variable"] = (s => Profile(s, "{ \"cluster\": { \"passwordVariable\": \"MM_TEST_UNSET_PASSWORD_VARIABLE\" } }"), "SecretNotFound", ErrorCategory.ObjectNotFound, "MM_TEST_UNSET_PASSWORD_VARIABLE"),
    };

    private static Task<string> Profile(ShopwareSite site, string json)
    {
        var path = Path.Combine(site.Root, "profile.json");
        File.WriteAllText(path, json);
        return Task.FromResult("-ProfilePath " + path);
    }

    public static TheoryData<string> FaultNames() => new(Faults.Keys);

    [Theory]
    [MemberData(nameof(FaultNames))]
    public async Task EachMalformedPieceHasItsOwnError(string fault)
    {
        var (arrange, errorId, category, messagePart) = Faults[fault];
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true);
        var extra = await arrange(site);

        var run = Run(site, extra);

        var error = run.SingleError();
        Assert.Equal(errorId + "," + Cmdlet, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(messagePart, error.Exception.Message);
        Assert.Contains(" Fix: ", error.Exception.Message);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
        Assert.NotNull(error.TargetObject);
        Assert.Empty(run.Objects<MigrationProfile>());
        foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, run.AllText());
        FaultLedger.BadInput("settings: " + fault, errorId);
    }

    [Fact]
    public async Task WithoutARootTheCurrentLocationMustBeShopware()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true);

        var fromRoot = PsHost.Invoke("$ExecutionContext.SessionState.Path.SetLocation($root) > $null; Get-MigrationProfile",
            new Dictionary<string, object?> { ["root"] = site.Root });
        var fromElsewhere = PsHost.Invoke("$ExecutionContext.SessionState.Path.SetLocation($elsewhere) > $null; Get-MigrationProfile",
            new Dictionary<string, object?> { ["elsewhere"] = Path.Combine(site.Root, "bin") });

        Assert.Equal(site.Root, fromRoot.AssertNoErrors().Objects<MigrationProfile>().Single().ShopwareRoot);
        var error = fromElsewhere.SingleError();
        Assert.Equal("ShopwareRootNotFound," + Cmdlet, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("pass -ShopwareRoot", error.Exception.Message);
    }

    [Fact]
    public async Task ExplicitParametersWinOverTheProfileFileWhichWinsOverDiscovery()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true);
        var movedConfig = Path.Combine(site.Root, "elsewhere", "flyok.config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(movedConfig)!);
        File.Copy(site.ClusterConfigPath, movedConfig);
        File.WriteAllText(Path.Combine(site.Root, "profile.json"),
            "{ \"tables\": [\"flyokai_seller\", \"flyokai_payout\"], \"clusterConfigPath\": \"elsewhere/flyok.config.json\", \"smokeCommand\": \"./ping.sh\", \"timeouts\": { \"portSeconds\": 45 } }");

        var fromProfile = Run(site, "-ProfilePath \"$root/profile.json\"").AssertNoErrors().Objects<MigrationProfile>().Single();
        var explicitWins = Run(site, "-ProfilePath \"$root/profile.json\" -Table flyokai_mail -ClusterConfigPath $cfg".Replace("$cfg", site.ClusterConfigPath)).AssertNoErrors().Objects<MigrationProfile>().Single();

        Assert.Equal(new[] { "flyokai_seller", "flyokai_payout" }, fromProfile.Tables);
        Assert.Equal(movedConfig, fromProfile.ClusterConfigPath);
        Assert.Equal("./ping.sh", fromProfile.SmokeCommand);
        Assert.Equal(45, fromProfile.PortTimeoutSeconds);
        Assert.Equal(new[] { "flyokai_mail" }, explicitWins.Tables);
        Assert.Equal("-Table", explicitWins.TablesSource);
        Assert.Equal(site.ClusterConfigPath, explicitWins.ClusterConfigPath);
    }

    [Fact]
    public async Task DotEnvLocalOverridesDotEnvAndCredentialsOverrideBoth()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true);
        File.WriteAllText(Path.Combine(site.Root, ".env"), "DATABASE_URL=mysql://nobody:nothing@127.0.0.1:1/nothing\n");
        File.WriteAllText(Path.Combine(site.Root, ".env.local"), "DATABASE_URL=\"" + site.DatabaseUrl.Replace(Uri.EscapeDataString(site.Shopware.Server.Password), "wrong") + "\"\n");
        var credential = new PSCredential(site.Shopware.Server.User, ToSecure(site.Shopware.Server.Password));

        var run = PsHost.Invoke("Get-MigrationProfile -ShopwareRoot $root -ShopwareCredential $cred",
            new Dictionary<string, object?> { ["root"] = site.Root, ["cred"] = credential }, allStreams: true).AssertNoErrors();

        var profile = run.Objects<MigrationProfile>().Single();
        Assert.StartsWith("DATABASE_URL in " + Path.Combine(site.Root, ".env.local"), profile.Shopware.Source);
        Assert.EndsWith("credential from -ShopwareCredential", profile.Shopware.Source);
        foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, run.AllText());
    }

    [Fact]
    public async Task SelectorsThatDisagreeAreShownAndWarned()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true);
        site.WriteClusterConfig(site.DefaultClusterConfig("cluster"));
        await site.SetConfigAsync("maintenance", true);

        var run = Run(site).AssertNoErrors();

        var profile = run.Objects<MigrationProfile>().Single();
        Assert.Equal("shopware", profile.DataLocation);
        Assert.Equal("cluster", profile.ClusterActive);
        Assert.False(profile.DataLocationAgrees);
        Assert.True(profile.MaintenanceGate);
        Assert.Contains(run.Warnings, w => w.Message.Contains("selectors disagree"));
    }

    [Fact]
    public async Task PasswordsWithSpecialCharactersAreDecodedAndNeverShown()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true);
        const string password = "p@ss:w/rd#%&?";
        await site.Shopware.ExecuteAsync($"CREATE USER 'mm_special'@'127.0.0.1' IDENTIFIED BY '{password}'; GRANT ALL ON `{site.Shopware.Name}`.* TO 'mm_special'@'127.0.0.1'");
        try
        {
            File.WriteAllText(Path.Combine(site.Root, ".env.local"),
                $"DATABASE_URL='mysql://mm_special:{Uri.EscapeDataString(password)}@127.0.0.1:{site.Shopware.Server.Port}/{site.Shopware.Name}'\n");

            var run = Run(site).AssertNoErrors();

            Assert.Equal("mm_special", run.Objects<MigrationProfile>().Single().Shopware.User);
            Assert.DoesNotContain(password, run.AllText());
            Assert.DoesNotContain(Uri.EscapeDataString(password), run.AllText());
        }
        finally
        {
            await site.Shopware.ExecuteAsync("DROP USER 'mm_special'@'127.0.0.1'");
        }
    }

    private static SecureString ToSecure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}
