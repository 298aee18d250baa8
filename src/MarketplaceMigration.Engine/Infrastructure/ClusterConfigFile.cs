using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>
/// The Flyokai cluster's config file (<c>flyok.config.json</c> at <c>clusterConfigPath</c>): the
/// <c>db.connection.cluster</c> block says where the cluster's database is, and
/// <c>db.connection.active</c> is the cluster's data-location selector.
/// </summary>
public sealed class ClusterConfigFile
{
    private ClusterConfigFile(string path, string? active, ConnectionTarget cluster, bool hasShopwareBlock)
    {
        Path = path;
        Active = active;
        Cluster = cluster;
        HasShopwareBlock = hasShopwareBlock;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary><c>db.connection.active</c> as written (<c>shopware</c>, <c>cluster</c>, or legacy <c>default</c>); null when absent.</summary>
    public string? Active { get; }

    /// <summary>The cluster database from <c>db.connection.cluster</c>.</summary>
    public ConnectionTarget Cluster { get; }

    /// <summary>Whether the file also has the <c>db.connection.shopware</c> block.</summary>
    public bool HasShopwareBlock { get; }

    /// <summary>Reads and validates the file.</summary>
    public static ClusterConfigFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MigrationException(
                ErrorIds.ClusterConfigNotFound,
                MigrationErrorKind.NotFound,
                path,
                $"The cluster config file {path} does not exist.",
                "set FlyokaiMarketplaceRemote.config.clusterConfigPath (or clusterConfigPath in the profile, or "
                    + "-ClusterConfigPath) to the cluster's flyok.config.json, or run 'php bin/console "
                    + "marketplace:remote:cluster-config:init' to create it.",
                ex
            );
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(
                ErrorIds.ClusterConfigUnreadable,
                MigrationErrorKind.Permission,
                path,
                $"The cluster config file {path} cannot be read: {ex.Message}",
                "run as a user that may read and write it (the migration rewrites db.connection.active), or fix its permissions.",
                ex
            );
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            // The parser's own message may quote file content, and the file holds a password: say where, not what.
            throw new MigrationException(
                ErrorIds.ClusterConfigInvalid,
                MigrationErrorKind.InvalidInput,
                path,
                $"The cluster config file {path} is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}).",
                "repair the file (the cluster cannot read it either), or restore its backup.",
                ex
            );
        }

        using (document)
        {
            var connection = Walk(document.RootElement, path, "db", "connection");
            string? active = null;
            if (connection.TryGetProperty("active", out var activeElement))
            {
                if (activeElement.ValueKind != JsonValueKind.String)
                {
                    throw Invalid(path, "db.connection.active", "is not a string");
                }

                active = activeElement.GetString();
            }

            if (!connection.TryGetProperty(DataLocations.ClusterSelector, out var block) || block.ValueKind != JsonValueKind.Object)
            {
                var legacy = connection.TryGetProperty("default", out _)
                    ? " It has the legacy db.connection.default layout."
                    : string.Empty;
                throw new MigrationException(
                    ErrorIds.ClusterConnectionMissing,
                    MigrationErrorKind.NotFound,
                    path,
                    $"The cluster config file {path} has no db.connection.cluster block.{legacy}",
                    "run 'php bin/console marketplace:remote:cluster-config:init', which seeds the shopware and cluster blocks."
                );
            }

            var host = OptionalString(block, path, "hostname")
                ?? OptionalString(block, path, "host")
                ?? throw Invalid(path, "db.connection.cluster.hostname", "is missing (neither hostname nor host is set)");
            var user = OptionalString(block, path, "username") ?? throw Invalid(path, "db.connection.cluster.username", "is missing");
            var database = OptionalString(block, path, "database") ?? throw Invalid(path, "db.connection.cluster.database", "is missing");
            var password = OptionalString(block, path, "password");
            var port = Port(block, path);
            var endpoint = new ServerEndpoint(EndpointRole.Cluster, host, port, user, database, "db.connection.cluster in " + path);
            var hasShopware = connection.TryGetProperty(DataLocations.ShopwareSelector, out var sw) && sw.ValueKind == JsonValueKind.Object;
            return new ClusterConfigFile(path, active, new ConnectionTarget(endpoint, password), hasShopware);
        }
    }

    private static JsonElement Walk(JsonElement root, string path, params string[] keys)
    {
        var current = root;
        var walked = string.Empty;
        foreach (var key in keys)
        {
            walked = walked.Length == 0 ? key : walked + "." + key;
            if (
                current.ValueKind != JsonValueKind.Object
                || !current.TryGetProperty(key, out var next)
                || next.ValueKind != JsonValueKind.Object
            )
            {
                throw new MigrationException(
                    ErrorIds.ClusterConnectionMissing,
                    MigrationErrorKind.NotFound,
                    path,
                    $"The cluster config file {path} has no '{walked}' object.",
                    "run 'php bin/console marketplace:remote:cluster-config:init' to seed db.connection.shopware and "
                        + "db.connection.cluster, or point clusterConfigPath at the right file."
                );
            }

            current = next;
        }

        return current;
    }

    private static string? OptionalString(JsonElement block, string path, string key)
    {
        if (!block.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw Invalid(path, "db.connection.cluster." + key, "is not a string");
        var s = value.GetString();
        return string.IsNullOrEmpty(s) && key != "password" ? null : s;
    }

    private static int Port(JsonElement block, string path)
    {
        if (!block.TryGetProperty("port", out var value) || value.ValueKind == JsonValueKind.Null)
            return 3306;
        int port;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out port),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out port),
            _ => (port = 0) == 1,
        };
        if (!ok || port < 1 || port > 65535)
            throw Invalid(path, "db.connection.cluster.port", "is not a port number from 1 to 65535");
        return port;
    }

    private static MigrationException Invalid(string path, string key, string reason) =>
        new(
            ErrorIds.ClusterConnectionInvalid,
            MigrationErrorKind.InvalidInput,
            path + "#" + key,
            $"In the cluster config file {path}, {key} {reason}.",
            $"set {key} in that file (the cluster reads the same block), or re-run 'php bin/console marketplace:remote:cluster-config:init'."
        );
}
