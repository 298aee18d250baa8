using System;
using System.Collections.Generic;
using System.IO;
using MarketplaceMigration.Engine.Discovery;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

public sealed class ShopwareEnvironmentTests : TempDirectory
{
    public ShopwareEnvironmentTests() : base("mm-env-") { }

    private ShopwareEnvironment Load(Dictionary<string, string>? process = null)
        => ShopwareEnvironment.Load(Dir, k => process != null && process.TryGetValue(k, out var v) ? v : null);

    [Fact]
    public void SymfonyPrecedenceEnvThenLocalThenAppEnvFiles()
    {
        Write(".env", "APP_ENV=prod\nA=env\nB=env\nC=env\nD=env\n");
        Write(".env.local", "B=local\nC=local\nD=local\n");
        Write(".env.prod", "C=prod\nD=prod\n");
        Write(".env.prod.local", "D=prodlocal\n");

        var env = Load();

        Assert.Equal(("env", Path.Combine(Dir, ".env")), env.Get("A")!.Value);
        Assert.Equal(("local", Path.Combine(Dir, ".env.local")), env.Get("B")!.Value);
        Assert.Equal(("prod", Path.Combine(Dir, ".env.prod")), env.Get("C")!.Value);
        Assert.Equal(("prodlocal", Path.Combine(Dir, ".env.prod.local")), env.Get("D")!.Value);
    }

    [Fact]
    public void TheProcessEnvironmentWins()
    {
        Write(".env", "DATABASE_URL=mysql://file:x@h/db\n");

        var env = Load(new Dictionary<string, string> { ["DATABASE_URL"] = "mysql://process:x@h/db" });

        Assert.Equal(("mysql://process:x@h/db", "the process environment"), env.Get("DATABASE_URL")!.Value);
    }

    [Fact]
    public void DotEnvLocalPhpReplacesTheDotEnvFiles()
    {
        Write(".env", "DATABASE_URL=mysql://file:x@h/db\nONLY_IN_ENV=1\n");
        Write(".env.local.php", "<?php return array ('DATABASE_URL' => 'mysql://dumped:x@h/db');");

        var env = Load();

        Assert.Equal("mysql://dumped:x@h/db", env.Get("DATABASE_URL")!.Value.Value);
        Assert.Null(env.Get("ONLY_IN_ENV"));
        Assert.Equal(new[] { Path.Combine(Dir, ".env.local.php") }, env.FilesRead);
    }

    [Fact]
    public void TestEnvironmentSkipsDotEnvLocal()
    {
        Write(".env", "APP_ENV=test\nA=env\n");
        Write(".env.local", "A=local\n");

        Assert.Equal("env", Load().Get("A")!.Value.Value);
    }

    [Fact]
    public void TlsFromShopwaresVariables()
    {
        Write(".env", "DATABASE_SSL_CA=/etc/ssl/db-ca.pem\n");
        Assert.Equal(new TlsSettings("VerifyCA", "/etc/ssl/db-ca.pem"), Load().Tls());

        Write(".env.local", "DATABASE_SSL_DONT_VERIFY_SERVER_CERT=1\n");
        Assert.Equal(new TlsSettings("Required", "/etc/ssl/db-ca.pem"), Load().Tls());
    }
}
