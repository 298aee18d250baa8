using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

public sealed class DatabaseUrlTests
{
    [Theory]
    [InlineData("mysql://shop:pw@db.internal:3307/shopware", "db.internal", 3307, "shop", "pw", "shopware")]
    [InlineData("mysql://shop:pw@localhost/shopware", "localhost", 3306, "shop", "pw", "shopware")]
    [InlineData("mysql://shop:p%40ss%3Aw%2Frd@127.0.0.1:3306/sw", "127.0.0.1", 3306, "shop", "p@ss:w/rd", "sw")]
    [InlineData("mysql://shop:a+b@h/sw", "h", 3306, "shop", "a+b", "sw")]
    [InlineData("mysql://root@[::1]:3310/sw?serverVersion=8.0", "::1", 3310, "root", null, "sw")]
    [InlineData("pdo-mysql://u:p@h:1/d", "h", 1, "u", "p", "d")]
    [InlineData("mysql://u:p@localhost/d?unix_socket=/run/mysqld/mysqld.sock", "/run/mysqld/mysqld.sock", 3306, "u", "p", "d")]
    [InlineData("mysql://u:p@h/my%2Ddb", "h", 3306, "u", "p", "my-db")]
    public void Parses(string url, string host, int port, string user, string? password, string database)
    {
        var target = DatabaseUrl.Parse(url, "/shop/.env", TlsSettings.Default);

        Assert.Equal((host, port, user, database), (target.Endpoint.Host, target.Endpoint.Port, target.Endpoint.User, target.Endpoint.Database));
        Assert.Equal(password, target.Password);
        Assert.Equal("DATABASE_URL in /shop/.env", target.Endpoint.Source);
        Assert.Equal($"{user}@{host}:{port}/{database}", target.ToString());
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("shop:secret@h/db", "does not start with mysql://")]
    [InlineData("postgresql://u:secret@h/db", "scheme is 'postgresql'")]
    [InlineData("mysql://u:secret@h", "names no database")]
    [InlineData("mysql://u:secret@h/", "names no database")]
    [InlineData("mysql://u:secret@h:port/db", "port 'port' is not a number")]
    [InlineData("mysql://u:secret@h:70000/db", "port '70000' is not a number")]
    [InlineData("mysql://:secret@h/db", "names no user")]
    [InlineData("mysql://u:secret@/db", "names no host")]
    public void RejectsWithoutShowingThePassword(string url, string reason)
    {
        var error = Assert.Throws<MigrationException>(() => DatabaseUrl.Parse(url, "/shop/.env", TlsSettings.Default));

        Assert.Equal(ErrorIds.DatabaseUrlInvalid, error.ErrorId);
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("secret", error.Message);
        Assert.Contains("mysql://user:password@host:port/database", error.Message);
    }

    [Fact]
    public void CarriesShopwaresTlsSettings()
    {
        var target = DatabaseUrl.Parse("mysql://u:p@h/d", "/shop/.env", new TlsSettings("VerifyCA", "/etc/ssl/ca.pem"));

        Assert.Equal(("VerifyCA", "/etc/ssl/ca.pem"), (target.Endpoint.SslMode, target.Endpoint.SslCa));
    }
}
