using System;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>
/// Writes a global <c>FlyokaiMarketplaceRemote.config.*</c> row the way Shopware stores it
/// (<c>{"_value": ...}</c>, <c>sales_channel_id</c> NULL): update the row, or insert it when absent.
/// </summary>
public static class SystemConfigWriter
{
    /// <summary>
    /// Sets <paramref name="key"/> on a session of its own, again on a fresh one after an interrupted link
    /// (a reset, a stall past <see cref="SystemConfigAccess.CommandTimeout"/>): the write is idempotent.
    /// </summary>
    public static Task WriteAsync(
        SystemConfigAccess access,
        string key,
        string jsonValue,
        Diagnostics.IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (access is null)
            throw new ArgumentNullException(nameof(access));
        var options = SessionOptions.Unpooled with { CommandTimeoutSeconds = (int)access.CommandTimeout.TotalSeconds };
        return Reconnecting.RunAsync(
            async () =>
            {
                using var connection = await ConnectionFactory.OpenAsync(access.Database, options, cancellationToken).ConfigureAwait(false);
                await WriteAsync(connection, key, jsonValue, cancellationToken).ConfigureAwait(false);
                return true;
            },
            () => Task.CompletedTask,
            $"Writing {RemoteSettings.KeyPrefix}{key} in {access.Database.Endpoint}.system_config",
            Reconnecting.Telling(observer),
            cancellationToken
        );
    }

    /// <summary>Sets <paramref name="key"/> to the JSON value <paramref name="jsonValue"/>.</summary>
    public static async Task WriteAsync(MySqlConnection connection, string key, string jsonValue, CancellationToken cancellationToken)
    {
        if (connection is null)
            throw new ArgumentNullException(nameof(connection));
        var fullKey = RemoteSettings.KeyPrefix + key;
        var value = "{\"_value\":" + jsonValue + "}";
        using var update = new MySqlCommand(
            "UPDATE system_config SET configuration_value = @v, updated_at = NOW(3) WHERE configuration_key = @k AND sales_channel_id IS NULL",
            connection
        );
        update.Parameters.AddWithValue("@v", value);
        update.Parameters.AddWithValue("@k", fullKey);
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
            return;

        var id = new byte[16];
        using (var random = RandomNumberGenerator.Create())
            random.GetBytes(id);
        using var insert = new MySqlCommand(
            "INSERT INTO system_config (id, configuration_key, configuration_value, sales_channel_id, created_at) VALUES (@id, @k, @v, NULL, NOW(3))",
            connection
        );
        insert.Parameters.AddWithValue("@id", id);
        insert.Parameters.AddWithValue("@k", fullKey);
        insert.Parameters.AddWithValue("@v", value);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
