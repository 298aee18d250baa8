using System.Linq;
using System.Management.Automation;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.SchemaMigrations;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>The sources and lock file every schema-migration cmdlet shares.</summary>
public abstract class SchemaMigrationCmdletBase : ProfileCmdletBase
{
    /// <summary>Directories holding migration files, e.g. one per plugin (default: migrations under the Shopware root).</summary>
    [Parameter]
    [Alias("Path")]
    public string[]? Source { get; set; }

    /// <summary>The lock file that fixes the order (default: migrations-lock.yml under the Shopware root). Commit it.</summary>
    [Parameter]
    public string? LockFile { get; set; }

    /// <summary>The source directories, resolved against the current location (default: &lt;root&gt;/migrations).</summary>
    protected string[] Sources(string shopwareRoot) =>
        Source is { Length: > 0 }
            ? Source.Select(s => GetUnresolvedProviderPathFromPSPath(s)).ToArray()
            : new[] { System.IO.Path.Combine(shopwareRoot, "migrations") };

    /// <summary>The lock file's path.</summary>
    protected string LockPath(string shopwareRoot) =>
        string.IsNullOrEmpty(LockFile)
            ? System.IO.Path.Combine(shopwareRoot, "migrations-lock.yml")
            : GetUnresolvedProviderPathFromPSPath(LockFile);

    /// <summary>
    /// The catalog of the sources and lock file of a resolved profile. Without -Source, a root that has
    /// no migrations/ directory yet has no migrations (not an error); a -Source given by hand must exist.
    /// </summary>
    protected SchemaMigrationCatalog Catalog(ResolvedProfile resolved) =>
        SchemaMigrationCatalog.Load(
            Sources(resolved.Profile.ShopwareRoot),
            LockPath(resolved.Profile.ShopwareRoot),
            missingIsEmpty: Source is not { Length: > 0 }
        );

    /// <summary>-Endpoint's value as the engine's flags.</summary>
    protected static SchemaEndpoints Endpoints(string endpoint) =>
        endpoint switch
        {
            DataLocations.ShopwareParameter => SchemaEndpoints.Shopware,
            DataLocations.ClusterParameter => SchemaEndpoints.Cluster,
            _ => SchemaEndpoints.Both,
        };
}
