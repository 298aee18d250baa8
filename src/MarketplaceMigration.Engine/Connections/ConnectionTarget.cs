using System;

namespace MarketplaceMigration.Engine.Connections;

/// <summary>
/// An endpoint together with its password. The password is readable only inside the engine,
/// where the connection is opened; no public member returns it, so formatting, serialisation
/// and logging of this object cannot show it.
/// </summary>
public sealed class ConnectionTarget
{
    /// <summary>Pairs an endpoint with its password (null for none).</summary>
    public ConnectionTarget(ServerEndpoint endpoint, string? password)
    {
        Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        Password = password;
    }

    /// <summary>The endpoint, without secrets.</summary>
    public ServerEndpoint Endpoint { get; }

    /// <summary>The password; engine-internal on purpose.</summary>
    internal string? Password { get; }

    /// <summary>The same user, password and database on another host and port (another node of a cluster).</summary>
    public ConnectionTarget At(string host, int port) =>
        new(
            new ServerEndpoint(
                Endpoint.Role,
                host,
                port,
                Endpoint.User,
                Endpoint.Database,
                Endpoint.Source,
                Endpoint.SslMode,
                Endpoint.SslCa
            ),
            Password
        );

    /// <summary>Same as the endpoint: <c>user@host:port/database</c>.</summary>
    public override string ToString() => Endpoint.ToString();
}
