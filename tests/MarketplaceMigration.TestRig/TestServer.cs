using System;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.TestRig;

/// <summary>One real server the tests may create databases on.</summary>
public sealed class TestServer
{
    public TestServer(string name, string host, int port, string user, string password)
    {
        Name = name;
        Host = host;
        Port = port;
        User = user;
        Password = password;
    }

    /// <summary>"shopware" or "cluster".</summary>
    public string Name { get; }
    public string Host { get; }
    public int Port { get; }
    public string User { get; }
    public string Password { get; }

    public string ConnectionString(string? database = null) => new MySqlConnectionStringBuilder
    {
        Server = Host,
        Port = (uint)Port,
        UserID = User,
        Password = Password,
        Database = database ?? string.Empty,
        AllowLoadLocalInfile = true,
        GuidFormat = MySqlGuidFormat.None,
        ConnectionTimeout = 10,
    }.ConnectionString;

    /// <summary>Creates a database with a unique name; dropping it is the caller's (TestDatabase.DisposeAsync).</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string prefix = "mmt")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}".Substring(0, Math.Min(prefix.Length + 13, 64));
        await using var connection = new MySqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", connection);
        await command.ExecuteNonQueryAsync();
        return new TestDatabase(this, name);
    }
}
