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
    internal static MySqlConnectionStringBuilder Build(ConnectionTarget target, SessionOptions options)
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
            DefaultCommandTimeout = (uint)options.CommandTimeoutSeconds,
            // BINARY(16) and CHAR(36) stay bytes and strings: the data plane is copied, not interpreted.
            GuidFormat = MySqlGuidFormat.None,
            TreatTinyAsBoolean = false,
            AllowZeroDateTime = true,
            PersistSecurityInfo = false,
            AllowLoadLocalInfile = options.LoadLocalInfile,
            // MySqlBulkLoader's own command carries no transaction: on the writing session the chunk's
            // transaction is the connection's, and that is the one it must load into.
            IgnoreCommandTransaction = options.LoadLocalInfile,
            Pooling = options.Pooling,
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
        OpenAsync(target, SessionOptions.Default, cancellationToken);

    /// <summary>Opens a connection as <paramref name="options"/> say, or throws a <see cref="MigrationException"/> that names the endpoint.</summary>
    public static async Task<MySqlConnection> OpenAsync(
        ConnectionTarget target,
        SessionOptions options,
        CancellationToken cancellationToken
    )
    {
        if (target is null)
            throw new ArgumentNullException(nameof(target));
        options ??= SessionOptions.Default;
        var connection = new MySqlConnection(Build(target, options).ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (options.Pooling && !await connection.PingAsync(cancellationToken).ConfigureAwait(false))
            {
                // A pooled session whose link broke while it sat in the pool (a reset, a server restart): the
                // pool's other idle sessions went the same way. Drop them all and open a fresh one.
                MySqlConnection.ClearPool(connection);
                connection.Dispose();
                connection = new MySqlConnection(Build(target, options).ConnectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }

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
        Open(target, SessionOptions.Unpooled, cancellationToken);

    /// <summary><see cref="Open(ConnectionTarget, CancellationToken)"/> as <paramref name="options"/> say (never pooled).</summary>
    public static MySqlConnection Open(ConnectionTarget target, SessionOptions options, CancellationToken cancellationToken)
    {
        if (target is null)
            throw new ArgumentNullException(nameof(target));
        cancellationToken.ThrowIfCancellationRequested();
        var connection = new MySqlConnection(Build(target, (options ?? SessionOptions.Default) with { Pooling = false }).ConnectionString);
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
