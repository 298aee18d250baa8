using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.PowerShell.Tests.StartDataMigrationCommandTests;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// The run-level half of the bad-input catalogue (the settings half is in GetMigrationProfileCommandTests):
/// what an operator could plausibly get wrong before a move. Each case stops before anything changes
/// (no gate, no state, no target row touched), with its error id, category and a message naming the fix,
/// and no secret on any stream.
/// </summary>
public sealed class RunInputTests
{
    private const string Cmdlet = "MarketplaceMigration.PowerShell.Cmdlets.StartDataMigrationCommand";

    /// <summary>A user on one of the test servers with only the given grants (dropped at the end).</summary>
    private sealed class LimitedUser : IAsyncDisposable
    {
        private readonly TestDatabase _db;

        private LimitedUser(TestDatabase db, string name, string password)
        {
            _db = db;
            Name = name;
            Password = password;
        }

        public string Name { get; }

        public string Password { get; }

        public static async Task<LimitedUser> CreateAsync(TestDatabase db, params string[] grants)
        {
            var user = new LimitedUser(db, "mm_lim_" + Guid.NewGuid().ToString("N")[..10], "Lim-" + Guid.NewGuid().ToString("N"));
            await db.ExecuteAsync($"CREATE USER '{user.Name}'@'%' IDENTIFIED BY '{user.Password}'");
            foreach (var grant in grants) await db.ExecuteAsync(grant.Replace("{db}", $"`{db.Name}`").Replace("{user}", $"'{user.Name}'@'%'"));
            return user;
        }

        public async ValueTask DisposeAsync() => await _db.ExecuteAsync($"DROP USER IF EXISTS '{Name}'@'%'");
    }

    private static async Task<IAsyncDisposable> ClusterUser(ShopwareSite site, params string[] grants)
    {
        var user = await LimitedUser.CreateAsync(site.Cluster, grants);
        var config = site.DefaultClusterConfig("shopware");
        config["db"]!["connection"]!["cluster"]!["username"] = user.Name;
        config["db"]!["connection"]!["cluster"]!["password"] = user.Password;
        site.WriteClusterConfig(config);
        return user;
    }

    private static async Task<IAsyncDisposable> ShopwareUser(ShopwareSite site, params string[] grants)
    {
        var user = await LimitedUser.CreateAsync(site.Shopware, grants);
        File.WriteAllText(Path.Combine(site.Root, ".env.local"), "DATABASE_URL=" + site.DatabaseUrl.Replace(
            Uri.EscapeDataString(site.Shopware.Server.User) + ":" + Uri.EscapeDataString(site.Shopware.Server.Password) + "@", $"{user.Name}:{user.Password}@") + "\n");
        return user;
    }

    private static async Task<IAsyncDisposable?> Sql(TestDatabase db, params string[] statements)
    {
        foreach (var statement in statements) await db.ExecuteAsync(statement);
        return null;
    }

    private static IAsyncDisposable? StateFile(ShopwareSite site, string text)
    {
        var directory = Path.Combine(site.Root, "var", "marketplace");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "migration.state"), text);
        return null;
    }

    private static IAsyncDisposable? ProfileKey(ShopwareSite site, string json)
    {
        File.WriteAllText(site.ProfilePath, File.ReadAllText(site.ProfilePath).TrimEnd().TrimEnd('}') + ", " + json + " }");
        return null;
    }

    public sealed record Case(Func<ShopwareSite, Task<IAsyncDisposable?>> Arrange, string ErrorId, ErrorCategory Category, string MessagePart, string Extra = "");

    private const string FullTarget = "GRANT SELECT, INSERT, DELETE, DROP, ALTER ON {db}.* TO {user}";
    private const string FullShopware = "GRANT SELECT, INSERT, UPDATE ON {db}.* TO {user}";

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["target user may only read"] = new(async s => await ClusterUser(s, "GRANT SELECT ON {db}.* TO {user}"), "PrivilegeMissing", ErrorCategory.PermissionDenied, "GRANT INSERT, DELETE, DROP, ALTER ON"),
        ["target user may not ALTER (AUTO_INCREMENT)"] = new(async s => await ClusterUser(s, "GRANT SELECT, INSERT, DELETE, DROP ON {db}.* TO {user}"), "PrivilegeMissing", ErrorCategory.PermissionDenied, "ALTER on flyokai_"),
        ["target user granted one table only"] = new(async s => await ClusterUser(s, "GRANT SELECT, INSERT, DELETE, DROP, ALTER ON {db}.flyokai_seller TO {user}"), "PrivilegeMissing", ErrorCategory.PermissionDenied, "more table(s)"),
        ["source user without PROCESS (drain proof)"] = new(async s => await ShopwareUser(s, FullShopware), "PrivilegeMissing", ErrorCategory.PermissionDenied, "PROCESS (global)"),
        ["source user without DROP for -DropSource"] = new(async s => await ShopwareUser(s, FullShopware, "GRANT PROCESS ON *.* TO {user}"), "PrivilegeMissing", ErrorCategory.PermissionDenied, "DROP on", "-DropSource"),
        ["Shopware user may not write system_config"] = new(async s => await ShopwareUser(s, "GRANT SELECT ON {db}.* TO {user}", "GRANT PROCESS ON *.* TO {user}"), "PrivilegeMissing", ErrorCategory.PermissionDenied, "INSERT on system_config"),
        ["-Online: source user without TRIGGER"] = new(async s => await ShopwareUser(s, FullShopware, "GRANT PROCESS ON *.* TO {user}"), "PrivilegeMissing", ErrorCategory.PermissionDenied, "TRIGGER on", "-Online"),
        ["-Online: source user may not create the changelogs"] = new(async s => await ShopwareUser(s, FullShopware, "GRANT PROCESS ON *.* TO {user}", "GRANT TRIGGER ON {db}.* TO {user}"),
            "PrivilegeMissing", ErrorCategory.PermissionDenied, "CREATE", "-Online"),
        ["-Online: a cascade into the table list from a table outside it"] = new(_ => Task.FromResult<IAsyncDisposable?>(null), "OnlineNotPossible", ErrorCategory.InvalidOperation,
            "cascades from flyokai_seller", "-Online -Table flyokai_seller_address"),
        ["table without a primary key"] = new(async s =>
        {
            await Sql(s.Shopware, "CREATE TABLE flyokai_nopk (id INT NOT NULL, v VARCHAR(10))");
            return await Sql(s.Cluster, "CREATE TABLE flyokai_nopk (id INT NOT NULL, v VARCHAR(10))");
        }, "TableWithoutPrimaryKey", ErrorCategory.InvalidOperation, "flyokai_nopk has no primary key", "-Table flyokai_seller, flyokai_nopk"),
        ["primary key on a column prefix"] = new(async s =>
        {
            await Sql(s.Shopware, "CREATE TABLE flyokai_prefix (code VARCHAR(100) NOT NULL, PRIMARY KEY (code(10)))");
            return await Sql(s.Cluster, "CREATE TABLE flyokai_prefix (code VARCHAR(100) NOT NULL, PRIMARY KEY (code(10)))");
        }, "TableWithoutPrimaryKey", ErrorCategory.InvalidOperation, "uses a prefix", "-Table flyokai_prefix"),
        ["unsupported column type"] = new(async s =>
        {
            await Sql(s.Shopware, "CREATE TABLE flyokai_geo (id INT PRIMARY KEY, at POINT)");
            return await Sql(s.Cluster, "CREATE TABLE flyokai_geo (id INT PRIMARY KEY, at POINT)");
        }, "UnsupportedColumnType", ErrorCategory.InvalidOperation, "flyokai_geo", "-Table flyokai_geo"),
        ["collation clash on a unique key"] = new(s => Sql(s.Cluster, "ALTER TABLE flyokai_seller MODIFY slug VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL"),
            "SchemaDrift", ErrorCategory.InvalidOperation, "part of a primary or unique key"),
        ["table missing on the target"] = new(s => Sql(s.Cluster, "SET FOREIGN_KEY_CHECKS = 0; DROP TABLE flyokai_payout"), "SchemaDrift", ErrorCategory.InvalidOperation, "flyokai_payout"),
        ["truncated state file"] = new(s => Task.FromResult(StateFile(s, "{\"schemaVersion\": 1, \"runId\": \"x\", \"steps\": [")), "StateIncompatible", ErrorCategory.InvalidData, "move it aside"),
        ["state file that is not JSON"] = new(s => Task.FromResult(StateFile(s, "\u0000\u0001garbage")), "StateIncompatible", ErrorCategory.InvalidData, "migration.state"),
        ["empty state file"] = new(s => Task.FromResult(StateFile(s, "")), "StateIncompatible", ErrorCategory.InvalidData, "migration.state"),
        ["state file of a newer version"] = new(s => Task.FromResult(StateFile(s, "{\"schemaVersion\": 99, \"steps\": [{}]}")), "StateIncompatible", ErrorCategory.InvalidData, "99"),
        ["chunk size of zero"] = new(s => Task.FromResult(ProfileKey(s, "\"chunkRows\": 0")), "ProfileInvalid", ErrorCategory.InvalidArgument, "chunkRows"),
        ["SQL as the throttle condition"] = new(s => Task.FromResult(ProfileKey(s, "\"throttle\": { \"pauseWhen\": { \"status\": \"SELECT 1\", \"above\": 5 } }")), "ProfileInvalid", ErrorCategory.InvalidArgument, "pauseWhen"),
        ["unknown TLS mode"] = new(s => Task.FromResult(ProfileKey(s, "\"cluster\": { \"sslMode\": \"Always\" }")), "ProfileInvalid", ErrorCategory.InvalidArgument, "VerifyCA"),
        ["negative timeout"] = new(s => Task.FromResult(ProfileKey(s, "\"timeouts\": { \"portSeconds\": -1 }")), "ProfileInvalid", ErrorCategory.InvalidArgument, "portSeconds"),
        ["parallelism of 100"] = new(s => Task.FromResult(ProfileKey(s, "\"parallelism\": 100")), "ProfileInvalid", ErrorCategory.InvalidArgument, "parallelism"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task EachBadInputStopsBeforeAnythingChanges(string name)
    {
        var c = Cases[name];
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 5);
        await using var arranged = await c.Arrange(site);
        var targetRows = await IndependentCompare.CountAsync(site.Cluster, "flyokai_seller");

        var run = Migrate(site, "Cluster", c.Extra);

        var error = run.SingleError();
        Assert.True(error.FullyQualifiedErrorId == c.ErrorId + "," + Cmdlet, $"expected {c.ErrorId}, got {error.FullyQualifiedErrorId}: {error.Exception.Message}");
        Assert.Equal(c.Category, error.CategoryInfo.Category);
        Assert.True(error.Exception.Message.Contains(c.MessagePart, StringComparison.Ordinal), $"'{c.MessagePart}' is not in: {error.Exception.Message}");
        Assert.Contains(" Fix: ", error.Exception.Message);
        Assert.False(await GateAsync(site), "the gate was set");
        Assert.Equal(targetRows, await IndependentCompare.CountAsync(site.Cluster, "flyokai_seller"));
        Assert.Equal(0, await OnlineMoveTests.CaptureObjectsAsync(site.Shopware));
        await AssertSelectorsAsync(site, "shopware");
        var secrets = site.Secrets.Concat(arranged is LimitedUser u ? new[] { u.Password } : Array.Empty<string>());
        foreach (var secret in secrets) Assert.DoesNotContain(secret, run.AllText());
        FaultLedger.BadInput("run: " + name, c.ErrorId);
    }

    [Fact]
    public void AnUnknownDirectionIsRefusedByName()
    {
        var run = PsHost.Invoke("Start-DataMigration -To Moon -Force");

        var error = run.SingleError();
        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId);
        Assert.Contains("Cluster", error.Exception.Message);
        Assert.Contains("Shopware", error.Exception.Message);
        FaultLedger.BadInput("run: unknown direction", "ParameterArgumentValidationError");
    }
}
