using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>
/// Base of the cmdlets that work on a resolved profile: the parameters that locate the settings
/// (all bindable by property name from Get-MigrationProfile's output) and the credentials.
/// </summary>
public abstract class ProfileCmdletBase : MigrationCmdletBase
{
    /// <summary>The Shopware installation's root directory (default: $env:SHOPWARE_ROOT, then the current directory).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ShopwareRoot { get; set; }

    /// <summary>A JSON profile file that overrides discovered settings (null from a profile object that used none).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ProfilePath { get; set; }

    /// <summary>The cluster's flyok.config.json (default: FlyokaiMarketplaceRemote.config.clusterConfigPath).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ClusterConfigPath { get; set; }

    /// <summary>The data-plane tables (default: the profile's list, else the documented 22).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tables")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableCompleter))]
    public string[]? Table { get; set; }

    /// <summary>User and password for Shopware's database, instead of DATABASE_URL's.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ShopwareCredential { get; set; }

    /// <summary>User and password for the cluster's database, instead of the cluster config file's.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ClusterCredential { get; set; }

    /// <summary>The engine request built from the parameters; paths are resolved against the current PowerShell location.</summary>
    protected ProfileRequest BuildRequest(bool verifyTables) =>
        new()
        {
            ShopwareRoot = Resolve(ShopwareRoot),
            ProfilePath = Resolve(ProfilePath),
            ClusterConfigPath = Resolve(ClusterConfigPath),
            Tables = Table,
            ShopwareCredential = ShopwareCredential?.GetNetworkCredential(),
            ClusterCredential = ClusterCredential?.GetNetworkCredential(),
            CurrentDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            VerifyTables = verifyTables,
        };

    private string? Resolve(string? path) => string.IsNullOrEmpty(path) ? null : GetUnresolvedProviderPathFromPSPath(path);
}
