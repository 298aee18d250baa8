using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// An optional JSON profile that overrides discovery. Unknown keys are refused (a typo must not be
/// silently ignored on a production move), and so is any inline password: a profile names the
/// environment variable that holds it. Relative paths are relative to the profile's directory.
/// The accepted keys are listed in docs/settings.md.
/// </summary>
public sealed record ProfileFile
{
    private static readonly string[] TopKeys =
    {
        "shopwareRoot",
        "clusterConfigPath",
        "tables",
        "stateDirectory",
        "restartCommand",
        "smokeCommand",
        "cacheClearCommand",
        "flyokaiHost",
        "channelPort",
        "httpPort",
        DataLocations.ShopwareSelector,
        DataLocations.ClusterSelector,
        "timeouts",
        "chunkRows",
        "parallelism",
        "throttle",
        "deferIndexes",
        "deferIndexesMinRows",
    };

    private static readonly string[] EndpointKeys = { "host", "port", "user", "database", "passwordVariable", "sslMode", "sslCa", "nodes" };
    private static readonly string[] TimeoutKeys =
    {
        "portSeconds",
        "restartSeconds",
        "smokeSeconds",
        "drainSeconds",
        "lockWaitSeconds",
        "statementSeconds",
    };
    private static readonly string[] SslModes = { "None", "Preferred", "Required", "VerifyCA", "VerifyFull" };

    /// <summary>The profile's full path.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary><c>shopwareRoot</c>.</summary>
    public string? ShopwareRoot { get; init; }

    /// <summary><c>clusterConfigPath</c>.</summary>
    public string? ClusterConfigPath { get; init; }

    /// <summary><c>tables</c>.</summary>
    public IReadOnlyList<string>? Tables { get; init; }

    /// <summary><c>stateDirectory</c>.</summary>
    public string? StateDirectory { get; init; }

    /// <summary><c>restartCommand</c>: overrides clusterRestartCommand.</summary>
    public string? RestartCommand { get; init; }

    /// <summary><c>smokeCommand</c>: the ping run by step 8.</summary>
    public string? SmokeCommand { get; init; }

    /// <summary><c>cacheClearCommand</c>: run after each direct system_config write.</summary>
    public string? CacheClearCommand { get; init; }

    /// <summary><c>flyokaiHost</c>.</summary>
    public string? FlyokaiHost { get; init; }

    /// <summary><c>channelPort</c>.</summary>
    public int? ChannelPort { get; init; }

    /// <summary><c>httpPort</c>.</summary>
    public int? HttpPort { get; init; }

    /// <summary><c>chunkRows</c>: rows per copy chunk (default: adaptive).</summary>
    public int? ChunkRows { get; init; }

    /// <summary>Drop the target's secondary indexes before the load and rebuild them after it (step 4).</summary>
    public bool? DeferIndexes { get; init; }

    /// <summary><c>deferIndexesMinRows</c>: a table of fewer rows keeps its indexes during its load (default 10,000).</summary>
    public long? DeferIndexesMinRows { get; init; }

    /// <summary><c>shopware.nodes</c>: host:port of every node when Shopware's database is a Galera cluster.</summary>
    public IReadOnlyList<string>? ShopwareNodes { get; init; }

    /// <summary><c>cluster.nodes</c>: host:port of every node when the cluster's database is a Galera cluster.</summary>
    public IReadOnlyList<string>? ClusterNodes { get; init; }

    /// <summary><c>parallelism</c>: tables copied at the same time.</summary>
    public int? Parallelism { get; init; }

    /// <summary><c>throttle.maxRowsPerSecond</c>.</summary>
    public int? MaxRowsPerSecond { get; init; }

    /// <summary><c>throttle.pauseWhen.status</c>: a source status variable.</summary>
    public string? PauseStatus { get; init; }

    /// <summary><c>throttle.pauseWhen.above</c>.</summary>
    public long? PauseAbove { get; init; }

    /// <summary><c>shopware</c>: overrides for the Shopware endpoint.</summary>
    public EndpointOverride? Shopware { get; init; }

    /// <summary><c>cluster</c>: overrides for the cluster endpoint.</summary>
    public EndpointOverride? Cluster { get; init; }

    /// <summary><c>timeouts</c>: seconds per wait.</summary>
    public IReadOnlyDictionary<string, int> Timeouts { get; init; } = new Dictionary<string, int>();

    /// <summary>Reads and validates a profile file.</summary>
    public static ProfileFile Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MigrationException(
                ErrorIds.ProfileNotFound,
                MigrationErrorKind.NotFound,
                full,
                $"The profile file {full} does not exist.",
                "check the path given to -ProfilePath.",
                ex
            );
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(
                ErrorIds.ProfileInvalid,
                MigrationErrorKind.Permission,
                full,
                $"The profile file {full} cannot be read: {ex.Message}",
                "fix its permissions or run as its owner.",
                ex
            );
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                text,
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
            );
        }
        catch (JsonException ex)
        {
            throw Invalid(
                full,
                $"is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})",
                "repair the JSON.",
                ex
            );
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid(full, "is not a JSON object", "write the profile as { \"key\": value, ... }.");
            CheckKeys(full, root, TopKeys, string.Empty);
            var dir = System.IO.Path.GetDirectoryName(full)!;
            var (maxRows, pauseStatus, pauseAbove) = ReadThrottle(full, root);
            return new ProfileFile
            {
                MaxRowsPerSecond = maxRows,
                PauseStatus = pauseStatus,
                PauseAbove = pauseAbove,
                Path = full,
                ShopwareRoot = PathValue(full, dir, root, "shopwareRoot"),
                ClusterConfigPath = PathValue(full, dir, root, "clusterConfigPath"),
                StateDirectory = PathValue(full, dir, root, "stateDirectory"),
                Tables = StringArray(full, root, "tables"),
                RestartCommand = StringValue(full, root, "restartCommand", string.Empty),
                SmokeCommand = StringValue(full, root, "smokeCommand", string.Empty),
                CacheClearCommand = StringValue(full, root, "cacheClearCommand", string.Empty),
                FlyokaiHost = StringValue(full, root, "flyokaiHost", string.Empty),
                ChannelPort = PortValue(full, root, "channelPort", string.Empty),
                HttpPort = PortValue(full, root, "httpPort", string.Empty),
                Shopware = Endpoint(full, dir, root, DataLocations.ShopwareSelector),
                Cluster = Endpoint(full, dir, root, DataLocations.ClusterSelector),
                Timeouts = ReadTimeouts(full, root),
                ChunkRows = IntValue(full, root, "chunkRows", string.Empty, 1, 10_000_000, "a number of rows"),
                Parallelism = IntValue(full, root, "parallelism", string.Empty, 1, 32, "a number of tables from 1 to 32"),
                DeferIndexes = BoolValue(full, root, "deferIndexes"),
                DeferIndexesMinRows = IntValue(full, root, "deferIndexesMinRows", string.Empty, 0, int.MaxValue, "a number of rows"),
                ShopwareNodes = Nodes(full, root, DataLocations.ShopwareSelector),
                ClusterNodes = Nodes(full, root, DataLocations.ClusterSelector),
            };
        }
    }

    /// <summary>An endpoint block's <c>nodes</c>: ["host:port", ...], each a host and a TCP port.</summary>
    private static IReadOnlyList<string>? Nodes(string path, JsonElement root, string endpoint)
    {
        if (!root.TryGetProperty(endpoint, out var block) || block.ValueKind != JsonValueKind.Object)
            return null;
        if (!block.TryGetProperty("nodes", out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        var nodes =
            value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList()
                : null;
        if (
            nodes is null
            || nodes.Count == 0
            || nodes.Any(n => n is null || !System.Text.RegularExpressions.Regex.IsMatch(n, @"^[^\s:]+:\d{1,5}$"))
        )
        {
            throw Invalid(
                path,
                $"has '{endpoint}.nodes' that is not a list of host:port",
                $"write \"{endpoint}\": {{ \"nodes\": [\"10.0.0.5:3306\", \"10.0.0.6:3306\", \"10.0.0.7:3306\"] }}: every node of its Galera cluster."
            );
        }

        return nodes!;
    }

    private static bool? BoolValue(string path, JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        throw Invalid(path, $"has '{key}' that is not true or false", $"write \"{key}\": true.");
    }

    private static void CheckKeys(string path, JsonElement element, string[] allowed, string prefix)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals("password", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(
                    path,
                    $"holds a password inline at '{prefix}{property.Name}'",
                    $"remove it and set '{prefix}passwordVariable' to the name of an environment variable that holds the "
                        + "password, or pass -ShopwareCredential/-ClusterCredential."
                );
            }

            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Invalid(path, $"has an unknown key '{prefix}{property.Name}'", $"use one of: {string.Join(", ", allowed)}.");
            }
        }
    }

    private static string? StringValue(string path, JsonElement parent, string key, string prefix)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0)
        {
            throw Invalid(path, $"has '{prefix}{key}' that is not a non-empty string", $"write \"{key}\": \"...\".");
        }

        return value.GetString();
    }

    private static string? PathValue(string path, string dir, JsonElement parent, string key, string prefix = "")
    {
        var value = StringValue(path, parent, key, prefix);
        return value == null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, value));
    }

    private static int? IntValue(string path, JsonElement parent, string key, string prefix, int min, int max, string what)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        int n = 0;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out n),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n),
            _ => false,
        };
        if (!ok || n < min || n > max)
            throw Invalid(path, $"has '{prefix}{key}' that is not {what}", $"write a whole number from {min} to {max}.");
        return n;
    }

    private static int? PortValue(string path, JsonElement parent, string key, string prefix) =>
        IntValue(path, parent, key, prefix, 1, 65535, "a port number");

    private static IReadOnlyList<string>? StringArray(string path, JsonElement parent, string key)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw Invalid(path, $"has '{key}' that is not an array of table names", "write \"tables\": [\"flyokai_seller\", ...].");
        }

        return value.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    private static EndpointOverride? Endpoint(string path, string dir, JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var block) || block.ValueKind == JsonValueKind.Null)
            return null;
        if (block.ValueKind != JsonValueKind.Object)
            throw Invalid(
                path,
                $"has '{key}' that is not an object",
                $"write \"{key}\": {{ \"host\": ..., \"user\": ..., \"database\": ..., \"passwordVariable\": ... }}."
            );
        var prefix = key + ".";
        CheckKeys(path, block, EndpointKeys, prefix);
        var sslMode = StringValue(path, block, "sslMode", prefix);
        if (sslMode != null && !SslModes.Contains(sslMode, StringComparer.OrdinalIgnoreCase))
        {
            throw Invalid(path, $"has '{prefix}sslMode' = '{sslMode}'", $"use one of: {string.Join(", ", SslModes)}.");
        }

        return new EndpointOverride
        {
            Host = StringValue(path, block, "host", prefix),
            Port = PortValue(path, block, "port", prefix),
            User = StringValue(path, block, "user", prefix),
            Database = StringValue(path, block, "database", prefix),
            PasswordVariable = StringValue(path, block, "passwordVariable", prefix),
            SslMode = sslMode,
            SslCa = PathValue(path, dir, block, "sslCa", prefix),
        };
    }

    private static IReadOnlyDictionary<string, int> ReadTimeouts(string path, JsonElement root)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!root.TryGetProperty("timeouts", out var block) || block.ValueKind == JsonValueKind.Null)
            return result;
        if (block.ValueKind != JsonValueKind.Object)
            throw Invalid(path, "has 'timeouts' that is not an object", "write \"timeouts\": { \"portSeconds\": 30 }.");
        CheckKeys(path, block, TimeoutKeys, "timeouts.");
        foreach (var key in TimeoutKeys)
        {
            var value = IntValue(path, block, key, "timeouts.", 1, 86400, "a number of seconds");
            if (value.HasValue)
                result[key] = value.Value;
        }

        return result;
    }

    private static (int? MaxRows, string? Status, long? Above) ReadThrottle(string path, JsonElement root)
    {
        if (!root.TryGetProperty("throttle", out var block) || block.ValueKind == JsonValueKind.Null)
            return (null, null, null);
        if (block.ValueKind != JsonValueKind.Object)
            throw Invalid(
                path,
                "has 'throttle' that is not an object",
                "write \"throttle\": { \"maxRowsPerSecond\": 20000, \"pauseWhen\": { \"status\": \"Threads_running\", \"above\": 20 } }."
            );
        CheckKeys(path, block, new[] { "maxRowsPerSecond", "pauseWhen" }, "throttle.");
        var max = IntValue(path, block, "maxRowsPerSecond", "throttle.", 1, 100_000_000, "a number of rows per second");
        if (!block.TryGetProperty("pauseWhen", out var pause) || pause.ValueKind == JsonValueKind.Null)
            return (max, null, null);
        if (pause.ValueKind != JsonValueKind.Object)
            throw Invalid(
                path,
                "has 'throttle.pauseWhen' that is not an object",
                "write \"pauseWhen\": { \"status\": \"Threads_running\", \"above\": 20 }."
            );
        CheckKeys(path, pause, new[] { "status", "above" }, "throttle.pauseWhen.");
        var status = StringValue(path, pause, "status", "throttle.pauseWhen.");
        var above = IntValue(path, pause, "above", "throttle.pauseWhen.", 0, int.MaxValue, "a number");
        if (status is null || above is null || !System.Text.RegularExpressions.Regex.IsMatch(status, "^[A-Za-z_][A-Za-z0-9_]{0,63}$"))
        {
            throw Invalid(
                path,
                "has 'throttle.pauseWhen' without a status variable name and a number",
                "write \"pauseWhen\": { \"status\": \"Threads_running\", \"above\": 20 } (a global status variable of the source, never SQL)."
            );
        }

        return (max, status, above);
    }

    private static MigrationException Invalid(string path, string problem, string fix, Exception? inner = null) =>
        new(ErrorIds.ProfileInvalid, MigrationErrorKind.InvalidInput, path, $"The profile file {path} {problem}.", fix, inner);
}
