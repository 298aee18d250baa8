using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Errors;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Connections;

/// <summary>
/// Opens connections to an endpoint and turns connection failures into errors that name the
/// endpoint and the fix. The connection string never leaves this class: MySqlConnector drops
/// the password from <c>ConnectionString</c> once the connection is open (PersistSecurityInfo=false).
/// </summary>
public static class ConnectionFactory
{
    /// <summary>Builds the connection settings for a target.</summary>
    internal static MySqlConnectionStringBuilder Build(ConnectionTarget target, bool loadLocalInfile = false, bool pooling = true)
    {
        var endpoint = target.Endpoint;
        var builder = new MySqlConnectionStringBuilder
        {
            Server = endpoint.Host,
            Port = (uint)endpoint.Port,
            UserID = endpoint.User,
            Password = target.Password ?? string.Empty,
            Database = endpoint.Database,
            ApplicationName = "MarketplaceMigration",
            ConnectionTimeout = 15,
            DefaultCommandTimeout = 0,
            // BINARY(16) and CHAR(36) stay bytes and strings: the data plane is copied, not interpreted.
            GuidFormat = MySqlGuidFormat.None,
            TreatTinyAsBoolean = false,
            AllowZeroDateTime = true,
            PersistSecurityInfo = false,
            AllowLoadLocalInfile = loadLocalInfile,
            // MySqlBulkLoader's own command carries no transaction: on the writing session the chunk's
            // transaction is the connection's, and that is the one it must load into.
            IgnoreCommandTransaction = loadLocalInfile,
            Pooling = pooling,
        };
        if (Enum.TryParse(endpoint.SslMode, ignoreCase: true, out MySqlSslMode mode))
            builder.SslMode = mode;
        if (!string.IsNullOrEmpty(endpoint.SslCa))
            builder.SslCa = endpoint.SslCa;
        if (endpoint.Host.StartsWith("/", StringComparison.Ordinal))
            builder.ConnectionProtocol = MySqlConnectionProtocol.UnixSocket;
        return builder;
    }

    /// <summary>Opens a pooled connection, or throws a <see cref="MigrationException"/> that names the endpoint.</summary>
    public static Task<MySqlConnection> OpenAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
        OpenAsync(target, loadLocalInfile: false, pooling: true, cancellationToken);

    /// <summary>Opens a connection, or throws a <see cref="MigrationException"/> that names the endpoint.
    /// <paramref name="loadLocalInfile"/> allows LOAD DATA LOCAL (the bulk copy); <paramref name="pooling"/> false gives a
    /// session of its own that ends on Dispose (session locks).</summary>
    public static async Task<MySqlConnection> OpenAsync(
        ConnectionTarget target,
        bool loadLocalInfile,
        bool pooling,
        CancellationToken cancellationToken
    )
    {
        if (target is null)
            throw new ArgumentNullException(nameof(target));
        var connection = new MySqlConnection(Build(target, loadLocalInfile, pooling).ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (MySqlException ex)
        {
            connection.Dispose();
            throw Translate(target.Endpoint, ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a session of its own (not pooled) with blocking I/O, for a caller that never uses it
    /// asynchronously (a socket once used asynchronously stays non-blocking, see <c>TableCopier</c>);
    /// errors as <see cref="OpenAsync(ConnectionTarget, CancellationToken)"/>'s.
    /// </summary>
    public static MySqlConnection Open(ConnectionTarget target, CancellationToken cancellationToken) =>
        Open(target, false, cancellationToken);

    /// <summary><see cref="Open(ConnectionTarget, CancellationToken)"/>, allowing LOAD DATA LOCAL when <paramref name="loadLocalInfile"/>.</summary>
    public static MySqlConnection Open(ConnectionTarget target, bool loadLocalInfile, CancellationToken cancellationToken)
    {
        if (target is null)
            throw new ArgumentNullException(nameof(target));
        cancellationToken.ThrowIfCancellationRequested();
        var connection = new MySqlConnection(Build(target, loadLocalInfile, pooling: false).ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (MySqlException ex)
        {
            connection.Dispose();
            throw Translate(target.Endpoint, ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Turns a server error at connect time into an error naming the endpoint and the fix.</summary>
    internal static MigrationException Translate(ServerEndpoint endpoint, MySqlException ex)
    {
        var where = $"the {endpoint.Role} endpoint {endpoint} (from {endpoint.Source})";
        switch (ex.ErrorCode)
        {
            case MySqlErrorCode.AccessDenied:
                return new MigrationException(
                    ErrorIds.AccessDenied,
                    MigrationErrorKind.Permission,
                    endpoint.ToString(),
                    $"The server refused user '{endpoint.User}' for {where}: {ex.Message}",
                    "check the user name and password where they are configured, and that the user may connect from this host.",
                    ex
                );
            case MySqlErrorCode.UnknownDatabase:
            case MySqlErrorCode.DatabaseAccessDenied:
                return new MigrationException(
                    ErrorIds.DatabaseNotFound,
                    MigrationErrorKind.NotFound,
                    endpoint.ToString(),
                    $"The database '{endpoint.Database}' of {where} does not exist or the user may not use it: {ex.Message}",
                    "correct the database name, or create it and grant the user access.",
                    ex
                );
            case MySqlErrorCode.UnableToConnectToHost:
                return new MigrationException(
                    ErrorIds.ServerUnreachable,
                    MigrationErrorKind.Connection,
                    endpoint.ToString(),
                    $"Cannot connect to {where}: {ex.Message}",
                    "check that the server runs and that host and port are right and reachable from this machine.",
                    ex
                );
            default:
                return new MigrationException(
                    ErrorIds.ServerError,
                    MigrationErrorKind.Connection,
                    endpoint.ToString(),
                    $"The server of {where} answered with error {ex.Number} ({ex.ErrorCode}): {ex.Message}",
                    "see the server's message; it names the problem.",
                    ex
                );
        }
    }
}
