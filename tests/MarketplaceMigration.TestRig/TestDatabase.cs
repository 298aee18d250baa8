using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.TestRig;

/// <summary>A database of its own for one test, dropped when the test ends.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public TestDatabase(TestServer server, string name)
    {
        Server = server;
        Name = name;
    }

    public TestServer Server { get; }
    public string Name { get; }
    public string ConnectionString => Server.ConnectionString(Name);

    /// <summary>This database as the engine's endpoint in <paramref name="role"/>.</summary>
    public MarketplaceMigration.Engine.Connections.ConnectionTarget AsTarget(MarketplaceMigration.Engine.Connections.EndpointRole role)
        => new(new MarketplaceMigration.Engine.Connections.ServerEndpoint(role, Server.Host, Server.Port, Server.User, Name, "test"), Server.Password);

    public async Task<MySqlConnection> OpenAsync()
    {
        var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs one or more statements (separated by ';' as the server parses them).</summary>
    public async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public async Task<List<string>> TableNamesAsync()
    {
        var names = new List<string>();
        await using var connection = await OpenAsync();
        await using var command = new MySqlCommand("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = new MySqlConnection(Server.ConnectionString());
            await connection.OpenAsync();
            await using var command = new MySqlCommand($"DROP DATABASE IF EXISTS `{Name}`", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (MySqlException)
        {
            // The server may already be gone at the end of the run; its datadir is removed with it.
        }
    }
}
