namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// Connection fields a profile file sets for one endpoint; each one left null keeps the discovered value.
/// The password is never inline: <see cref="PasswordVariable"/> names an environment variable.
/// </summary>
public sealed record EndpointOverride
{
    /// <summary>Host name, address or unix socket path.</summary>
    public string? Host { get; init; }

    /// <summary>TCP port.</summary>
    public int? Port { get; init; }

    /// <summary>User name.</summary>
    public string? User { get; init; }

    /// <summary>Database name.</summary>
    public string? Database { get; init; }

    /// <summary>Name of the environment variable that holds the password.</summary>
    public string? PasswordVariable { get; init; }

    /// <summary>MySqlConnector SslMode.</summary>
    public string? SslMode { get; init; }

    /// <summary>CA certificate file.</summary>
    public string? SslCa { get; init; }

    /// <summary>Whether host, user and database are all set, so nothing needs to be discovered.</summary>
    public bool IsComplete => Host != null && User != null && Database != null;
}
