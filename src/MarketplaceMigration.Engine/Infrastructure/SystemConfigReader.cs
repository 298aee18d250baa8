using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Errors;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>
/// Reads the Remote add-on's global rows from Shopware's <c>system_config</c>. Only the keys a move
/// needs are selected, so secret rows (client secret, database password) are never read.
/// </summary>
public static class SystemConfigReader
{
    private static readonly string[] Keys =
    {
        "dataLocation",
        "maintenance",
        "clusterConfigPath",
        "clusterRestartCommand",
        "flyokaiHost",
        "flyokaiChannelPort",
        "flyokaiHttpPort",
    };

    /// <summary>Reads the settings over an open Shopware connection.</summary>
    public static async Task<RemoteSettings> ReadAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection is null)
            throw new ArgumentNullException(nameof(connection));
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            var names = new List<string>();
            for (var i = 0; i < Keys.Length; i++)
            {
                names.Add("@k" + i);
                command.Parameters.AddWithValue("@k" + i, RemoteSettings.KeyPrefix + Keys[i]);
            }

            command.CommandText =
                "SELECT configuration_key, CAST(configuration_value AS CHAR) FROM system_config "
                + "WHERE sales_channel_id IS NULL AND configuration_key IN ("
                + string.Join(", ", names)
                + ")";
            try
            {
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows[reader.GetString(0).Substring(RemoteSettings.KeyPrefix.Length)] = reader.IsDBNull(1)
                        ? "null"
                        : reader.GetString(1);
                }
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.NoSuchTable)
            {
                throw new MigrationException(
                    ErrorIds.SystemConfigNotFound,
                    MigrationErrorKind.NotFound,
                    connection.Database + ".system_config",
                    $"The database '{connection.Database}' has no system_config table, so it is not a Shopware 6 database.",
                    "point DATABASE_URL (or the profile's shopware block) at the shop's database.",
                    ex
                );
            }
        }

        var settings = new RemoteSettings();
        if (rows.TryGetValue("dataLocation", out var location))
        {
            var value = String(location, "dataLocation");
            if (DataLocations.FromSelector(value) is null)
                throw Invalid(
                    "dataLocation",
                    "'shopware' or 'cluster'",
                    "php bin/console marketplace:remote:cluster-config:init (it syncs dataLocation from the cluster file)"
                );
            settings = settings with { DataLocation = value, DataLocationStored = true };
        }

        if (rows.TryGetValue("maintenance", out var maintenance))
            settings = settings with { Maintenance = Bool(maintenance, "maintenance") };
        if (rows.TryGetValue("clusterConfigPath", out var path))
            settings = settings with { ClusterConfigPath = NonEmpty(path, "clusterConfigPath") };
        if (rows.TryGetValue("clusterRestartCommand", out var restart))
            settings = settings with { ClusterRestartCommand = NonEmpty(restart, "clusterRestartCommand") };
        if (rows.TryGetValue("flyokaiHost", out var host))
            settings = settings with { FlyokaiHost = NonEmpty(host, "flyokaiHost") };
        if (rows.TryGetValue("flyokaiChannelPort", out var channel))
            settings = settings with { ChannelPort = Port(channel, "flyokaiChannelPort") };
        if (rows.TryGetValue("flyokaiHttpPort", out var http))
            settings = settings with { HttpPort = Port(http, "flyokaiHttpPort") };
        return settings;
    }

    private static JsonElement Value(string json, string key)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("_value", out var value))
            {
                return value.Clone();
            }
        }
        catch (JsonException) { }

        throw Invalid(
            key,
            "JSON of the form {\"_value\": ...}",
            $"php bin/console system:config:set {RemoteSettings.KeyPrefix}{key} <value>"
        );
    }

    private static string String(string json, string key)
    {
        var value = Value(json, key);
        if (value.ValueKind != JsonValueKind.String)
            throw Invalid(key, "a string", $"php bin/console system:config:set {RemoteSettings.KeyPrefix}{key} <value>");
        return value.GetString()!;
    }

    private static string NonEmpty(string json, string key)
    {
        var s = String(json, key);
        if (s.Trim().Length == 0)
            throw Invalid(key, "a non-empty string", $"php bin/console system:config:set {RemoteSettings.KeyPrefix}{key} <value>");
        return s;
    }

    private static bool Bool(string json, string key)
    {
        var value = Value(json, key);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => false,
            JsonValueKind.Number when value.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
            _ => throw Invalid(key, "true or false", "Set-MaintenanceGate or Clear-MaintenanceGate"),
        };
    }

    private static int Port(string json, string key)
    {
        var value = Value(json, key);
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out var n) ? n : -1,
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : -1,
            _ => -1,
        };
        if (ok is < 1 or > 65535)
            throw Invalid(
                key,
                "a port number from 1 to 65535",
                $"php bin/console system:config:set {RemoteSettings.KeyPrefix}{key} <port>"
            );
        return ok;
    }

    private static MigrationException Invalid(string key, string expected, string command) =>
        new(
            ErrorIds.SystemConfigValueInvalid,
            MigrationErrorKind.InvalidInput,
            RemoteSettings.KeyPrefix + key,
            $"The system_config row {RemoteSettings.KeyPrefix}{key} does not hold {expected}.",
            $"set it in the Shopware admin (Settings > Plugins > Flyokai Marketplace Remote) or with: {command}"
        );
}
