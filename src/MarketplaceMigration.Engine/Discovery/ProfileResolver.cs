using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// Resolves every setting of a move: explicit parameters first, then the profile file, then
/// discovery from the Shopware root (DESIGN §3). Each missing or malformed piece fails with its
/// own error id naming the file or key and the fix.
/// </summary>
public static class ProfileResolver
{
    /// <summary>Resolves the settings; connects to Shopware's database to read system_config.</summary>
    public static async Task<ResolvedProfile> ResolveAsync(
        ProfileRequest request,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (request is null)
            throw new ArgumentNullException(nameof(request));
        observer ??= NullRunObserver.Instance;

        var profile = request.ProfilePath is { Length: > 0 } ? ProfileFile.Load(request.ProfilePath) : null;
        if (profile != null)
            observer.Verbose($"Profile file: {profile.Path}");

        var (root, rootSource) = ShopwareRootLocator.Locate(
            request.ShopwareRoot,
            profile?.ShopwareRoot,
            request.Environment("SHOPWARE_ROOT"),
            request.CurrentDirectory
        );
        observer.Verbose($"Shopware root: {root} (from {rootSource})");

        var shopware = ResolveShopware(root, profile, request, observer);
        observer.Verbose($"Shopware database: {shopware.Endpoint} (from {shopware.Endpoint.Source})");

        RemoteSettings remote;
        var tables = ChooseTables(request, profile, out var tablesSource);
        using (var connection = await ConnectionFactory.OpenAsync(shopware, cancellationToken).ConfigureAwait(false))
        {
            remote = await SystemConfigReader.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            observer.Verbose(
                $"Remote settings read from {shopware.Endpoint.Database}.system_config: dataLocation={remote.DataLocation}, maintenance={remote.Maintenance}."
            );
            if (request.VerifyTables)
                await VerifyTablesExistAsync(connection, shopware.Endpoint, tables, tablesSource, cancellationToken).ConfigureAwait(false);
        }

        var clusterPath = request.ClusterConfigPath is { Length: > 0 }
            ? Path.GetFullPath(request.ClusterConfigPath)
            : profile?.ClusterConfigPath ?? remote.ClusterConfigPath;
        var clusterFile = ClusterConfigFile.Load(clusterPath);
        observer.Verbose($"Cluster config file: {clusterFile.Path} (db.connection.active={clusterFile.Active ?? "(not set)"})");
        var cluster = WithCredential(
            Override(clusterFile.Cluster, profile?.Cluster, profile?.Path, request.Environment),
            request.ClusterCredential
        );
        observer.Verbose($"Cluster database: {cluster.Endpoint} (from {cluster.Endpoint.Source})");

        var restart = profile?.RestartCommand ?? remote.ClusterRestartCommand;
        var smoke = profile?.SmokeCommand
            ?? (File.Exists(Path.Combine(root, "bin", "console")) ? "php bin/console marketplace:ping" : null);
        var state = profile?.StateDirectory ?? Path.Combine(root, "var", "marketplace");
        var timeouts = Timeouts.From(profile?.Timeouts);
        var result = new MigrationProfile(
            root,
            profile?.Path,
            shopware.Endpoint,
            cluster.Endpoint,
            tables,
            tablesSource,
            remote,
            clusterFile,
            new ClusterCommands(
                restart,
                smoke,
                profile?.CacheClearCommand,
                profile?.FlyokaiHost ?? remote.FlyokaiHost,
                profile?.ChannelPort ?? remote.ChannelPort,
                profile?.HttpPort ?? remote.HttpPort
            ),
            state,
            timeouts,
            new CopySettings
            {
                ChunkRows = profile?.ChunkRows,
                Parallelism = profile?.Parallelism ?? CopySettings.DefaultParallelism,
                Throttle = new CopyThrottle(profile?.MaxRowsPerSecond, profile?.PauseStatus, profile?.PauseAbove),
                DeferIndexes = profile?.DeferIndexes ?? true,
                DeferIndexesMinRows = profile?.DeferIndexesMinRows ?? CopySettings.DefaultDeferIndexesMinRows,
                StatementSeconds = timeouts.StatementSeconds,
                LockWaitSeconds = timeouts.LockWaitSeconds,
            }
        );
        result.ShopwareNodes = profile?.ShopwareNodes ?? System.Array.Empty<string>();
        result.ClusterNodes = profile?.ClusterNodes ?? System.Array.Empty<string>();
        if (!result.DataLocationAgrees)
        {
            observer.Warning(
                $"The two data-location selectors disagree: Shopware says '{result.DataLocation}', the cluster file says "
                    + $"'{result.ClusterActive ?? "(not set)"}'. Do not lift the maintenance gate until a migration run reconciles them."
            );
        }

        return new ResolvedProfile(result, shopware, cluster);
    }

    /// <summary>
    /// The state directory without connecting anywhere (root and profile file only), so a run's state
    /// can be read while a database is down.
    /// </summary>
    public static string LocateStateDirectory(ProfileRequest request)
    {
        if (request is null)
            throw new ArgumentNullException(nameof(request));
        var profile = request.ProfilePath is { Length: > 0 } ? ProfileFile.Load(request.ProfilePath) : null;
        var (root, _) = ShopwareRootLocator.Locate(
            request.ShopwareRoot,
            profile?.ShopwareRoot,
            request.Environment("SHOPWARE_ROOT"),
            request.CurrentDirectory
        );
        return profile?.StateDirectory ?? Path.Combine(root, "var", "marketplace");
    }

    private static IReadOnlyList<string> ChooseTables(ProfileRequest request, ProfileFile? profile, out string source)
    {
        if (request.Tables is { Count: > 0 })
        {
            source = "-Table";
            return DataPlaneTables.Validate(request.Tables, source);
        }

        if (profile?.Tables != null)
        {
            source = "tables in " + profile.Path;
            return DataPlaneTables.Validate(profile.Tables, source);
        }

        source = "the documented data plane";
        return DataPlaneTables.Default;
    }

    private static ConnectionTarget ResolveShopware(string root, ProfileFile? profile, ProfileRequest request, IRunObserver observer)
    {
        var overrides = profile?.Shopware;
        if (overrides is { IsComplete: true } && (overrides.PasswordVariable != null || request.ShopwareCredential != null))
        {
            var endpoint = new ServerEndpoint(
                EndpointRole.Shopware,
                overrides.Host!,
                overrides.Port ?? 3306,
                overrides.User!,
                overrides.Database!,
                "the shopware block of " + profile!.Path
            );
            return WithCredential(
                Override(new ConnectionTarget(endpoint, null), overrides, profile.Path, request.Environment),
                request.ShopwareCredential
            );
        }

        var environment = ShopwareEnvironment.Load(root, request.Environment);
        foreach (var file in environment.FilesRead)
            observer.Debug($"Read environment file {file}");
        var url = environment.Get("DATABASE_URL");
        if (url is null)
        {
            if (environment.FilesRead.Count == 0)
            {
                throw new MigrationException(
                    ErrorIds.DotEnvNotFound,
                    MigrationErrorKind.NotFound,
                    Path.Combine(root, ".env"),
                    $"The Shopware root {root} has no .env, .env.local or .env.local.php, and DATABASE_URL is not set in the environment.",
                    "check that -ShopwareRoot points at the shop (the directory with bin/console), or set DATABASE_URL in the "
                        + "environment, or give the shopware block in a profile file."
                );
            }

            throw new MigrationException(
                ErrorIds.DatabaseUrlNotFound,
                MigrationErrorKind.NotFound,
                root,
                $"DATABASE_URL is set neither in the environment nor in {string.Join(", ", environment.FilesRead)}.",
                "add DATABASE_URL=mysql://user:password@host:3306/database to .env.local, or set it in the environment."
            );
        }

        var target = DatabaseUrl.Parse(url.Value.Value, url.Value.Source, environment.Tls());
        return WithCredential(Override(target, overrides, profile?.Path, request.Environment), request.ShopwareCredential);
    }

    /// <summary>Applies a profile block's fields over a discovered endpoint; the password comes from the named environment variable.</summary>
    private static ConnectionTarget Override(
        ConnectionTarget discovered,
        EndpointOverride? overrides,
        string? profilePath,
        Func<string, string?> environment
    )
    {
        if (overrides is null)
            return discovered;
        var e = discovered.Endpoint;
        var block = e.Role.Selector();
        var password = discovered.Password;
        if (overrides.PasswordVariable != null)
        {
            password = environment(overrides.PasswordVariable)
                ?? throw new MigrationException(
                    ErrorIds.SecretNotFound,
                    MigrationErrorKind.NotFound,
                    overrides.PasswordVariable,
                    $"The profile names the environment variable {overrides.PasswordVariable} for the {e.Role} password "
                        + $"({block}.passwordVariable), and it is not set.",
                    $"set {overrides.PasswordVariable} in the environment of this session or job, or pass -{e.Role}Credential."
                );
        }

        var changed =
            overrides.Host != null
            || overrides.Port != null
            || overrides.User != null
            || overrides.Database != null
            || overrides.SslMode != null
            || overrides.SslCa != null
            || overrides.PasswordVariable != null;
        var source =
            changed && !e.Source.StartsWith("the " + block + " block of ", StringComparison.Ordinal)
                ? $"{e.Source}, overridden by the {block} block of {profilePath}"
                : e.Source;
        var endpoint = new ServerEndpoint(
            e.Role,
            overrides.Host ?? e.Host,
            overrides.Port ?? e.Port,
            overrides.User ?? e.User,
            overrides.Database ?? e.Database,
            source,
            overrides.SslMode ?? e.SslMode,
            overrides.SslCa ?? e.SslCa
        );
        return new ConnectionTarget(endpoint, password);
    }

    /// <summary>A PSCredential given for the endpoint replaces its user (when set) and password.</summary>
    private static ConnectionTarget WithCredential(ConnectionTarget target, NetworkCredential? credential)
    {
        if (credential is null)
            return target;
        var e = target.Endpoint;
        var user = string.IsNullOrEmpty(credential.UserName) ? e.User : credential.UserName;
        var endpoint = new ServerEndpoint(
            e.Role,
            e.Host,
            e.Port,
            user,
            e.Database,
            e.Source + ", credential from -" + e.Role + "Credential",
            e.SslMode,
            e.SslCa
        );
        return new ConnectionTarget(endpoint, credential.Password);
    }

    private static async Task VerifyTablesExistAsync(
        MySqlConnection connection,
        ServerEndpoint endpoint,
        IReadOnlyList<string> tables,
        string tablesSource,
        CancellationToken cancellationToken
    )
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText =
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                present.Add(reader.GetString(0));
        }

        var missing = tables.Where(t => !present.Contains(t)).ToList();
        if (missing.Count > 0)
        {
            throw new MigrationException(
                ErrorIds.TableNotFound,
                MigrationErrorKind.NotFound,
                endpoint + "." + missing[0],
                $"The table list ({tablesSource}) names {missing.Count} table(s) that do not exist in the Shopware database "
                    + $"{endpoint}: {string.Join(", ", missing)}.",
                "run 'php bin/console marketplace:local:schema:apply' to create the marketplace tables, or remove the names from the table list."
            );
        }
    }
}
