using System;

namespace MarketplaceMigration.Engine.Connections;

/// <summary>
/// Where a database lives, without any secret: safe to print, log, serialise and keep in state.
/// <see cref="ToString"/> gives <c>user@host:port/database</c>.
/// </summary>
public sealed class ServerEndpoint
{
    /// <summary>Creates an endpoint description.</summary>
    public ServerEndpoint(
        EndpointRole role,
        string host,
        int port,
        string user,
        string database,
        string source,
        string sslMode = "Preferred",
        string? sslCa = null
    )
    {
        if (string.IsNullOrEmpty(host))
            throw new ArgumentException("A host is required.", nameof(host));
        if (port is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(port), port, "A TCP port is 1 to 65535.");
        Role = role;
        Host = host;
        Port = port;
        User = user ?? throw new ArgumentNullException(nameof(user));
        Database = database ?? throw new ArgumentNullException(nameof(database));
        Source = source ?? throw new ArgumentNullException(nameof(source));
        SslMode = sslMode;
        SslCa = sslCa;
    }

    /// <summary>Shopware or cluster.</summary>
    public EndpointRole Role { get; }

    /// <summary>Host name or address (a path for a unix socket).</summary>
    public string Host { get; }

    /// <summary>TCP port.</summary>
    public int Port { get; }

    /// <summary>User name.</summary>
    public string User { get; }

    /// <summary>Database (schema) name.</summary>
    public string Database { get; }

    /// <summary>Where these settings were found, e.g. <c>DATABASE_URL in /srv/shop/.env.local</c>.</summary>
    public string Source { get; }

    /// <summary>MySqlConnector SslMode: None, Preferred, Required, VerifyCA or VerifyFull.</summary>
    public string SslMode { get; }

    /// <summary>Path of the CA certificate file used to verify the server, if any.</summary>
    public string? SslCa { get; }

    /// <summary><c>user@host:port/database</c>.</summary>
    public override string ToString() => $"{User}@{Host}:{Port}/{Database}";
}
