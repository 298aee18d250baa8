namespace MarketplaceMigration.Engine.Errors;

/// <summary>
/// Every stable error id the engine raises. The README lists them; tests assert them.
/// </summary>
public static class ErrorIds
{
    /// <summary>No Shopware root was given and the current directory is not one.</summary>
    public const string ShopwareRootNotFound = nameof(ShopwareRootNotFound);
    /// <summary>Neither .env nor .env.local exists under the Shopware root.</summary>
    public const string DotEnvNotFound = nameof(DotEnvNotFound);
    /// <summary>A line of a .env file cannot be parsed.</summary>
    public const string DotEnvInvalid = nameof(DotEnvInvalid);
    /// <summary>DATABASE_URL is set nowhere.</summary>
    public const string DatabaseUrlNotFound = nameof(DatabaseUrlNotFound);
    /// <summary>DATABASE_URL is not a usable mysql:// URL.</summary>
    public const string DatabaseUrlInvalid = nameof(DatabaseUrlInvalid);
    /// <summary>The server does not answer.</summary>
    public const string ServerUnreachable = nameof(ServerUnreachable);
    /// <summary>The server refused the user or password.</summary>
    public const string AccessDenied = nameof(AccessDenied);
    /// <summary>The database named by an endpoint does not exist.</summary>
    public const string DatabaseNotFound = nameof(DatabaseNotFound);
    /// <summary>Another server error while talking to an endpoint.</summary>
    public const string ServerError = nameof(ServerError);
    /// <summary>The Shopware database has no system_config table.</summary>
    public const string SystemConfigNotFound = nameof(SystemConfigNotFound);
    /// <summary>A FlyokaiMarketplaceRemote.config row holds a value of the wrong shape.</summary>
    public const string SystemConfigValueInvalid = nameof(SystemConfigValueInvalid);
    /// <summary>The cluster config file does not exist.</summary>
    public const string ClusterConfigNotFound = nameof(ClusterConfigNotFound);
    /// <summary>The cluster config file cannot be read.</summary>
    public const string ClusterConfigUnreadable = nameof(ClusterConfigUnreadable);
    /// <summary>The cluster config file is not valid JSON or has the wrong shape.</summary>
    public const string ClusterConfigInvalid = nameof(ClusterConfigInvalid);
    /// <summary>The cluster config file has no db.connection.cluster block.</summary>
    public const string ClusterConnectionMissing = nameof(ClusterConnectionMissing);
    /// <summary>The db.connection.cluster block lacks a field or holds a bad value.</summary>
    public const string ClusterConnectionInvalid = nameof(ClusterConnectionInvalid);
    /// <summary>The profile file does not exist.</summary>
    public const string ProfileNotFound = nameof(ProfileNotFound);
    /// <summary>The profile file is not valid or holds a key it must not.</summary>
    public const string ProfileInvalid = nameof(ProfileInvalid);
    /// <summary>The table list is empty, repeats a table, names an identity-plane table or an invalid name.</summary>
    public const string TableListInvalid = nameof(TableListInvalid);
    /// <summary>A table in the list does not exist on an endpoint.</summary>
    public const string TableNotFound = nameof(TableNotFound);
    /// <summary>A password environment variable named by the profile is not set.</summary>
    public const string SecretNotFound = nameof(SecretNotFound);
    /// <summary>The two ends' data-plane schemas differ.</summary>
    public const string SchemaDrift = nameof(SchemaDrift);
}
