using System;
using MarketplaceMigration.Engine.Errors;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Connections;

/// <summary>
/// A server connection that went away mid-step (a crash, a restart, a cut link) is its own failure,
/// not a grant or disk problem: the error names the server and says to rerun once it is back.
/// </summary>
public static class ConnectionLoss
{
    /// <summary>Whether <paramref name="ex"/> (or an exception inside it) is a lost server connection.</summary>
    public static bool Is(Exception? ex)
    {
        for (; ex != null; ex = ex.InnerException)
        {
            // 2006 gone away, 2013 lost during query, 1927 connection killed, 1053 server shutdown, 1042 cannot connect.
            if (ex is MySqlException m && m.Number is 2006 or 2013 or 1927 or 1053 or 1042)
                return true;
            if (ex is MySqlEndOfStreamException or System.IO.IOException or System.Net.Sockets.SocketException)
                return true;
            if (ex is InvalidOperationException && ex.Message.IndexOf("Connection must be Open", StringComparison.Ordinal) >= 0)
                return true;
        }

        return false;
    }

    /// <summary>The error for a connection to <paramref name="server"/> lost while <paramref name="doing"/>.</summary>
    public static MigrationException Error(ConnectionTarget server, string doing, Exception inner)
    {
        if (server is null)
            throw new ArgumentNullException(nameof(server));
        if (inner is null)
            throw new ArgumentNullException(nameof(inner));
        return new MigrationException(
            ErrorIds.ServerLost,
            MigrationErrorKind.Connection,
            server.Endpoint.ToString(),
            $"The connection to the {server.Endpoint.Role} server {server.Endpoint} was lost while {doing} ({inner.Message}). "
                + "What was committed before is recorded.",
            "bring that server back (its error log says why it went away: a restart, out of memory, a cut link), then rerun the "
                + "same command: it resumes where it stopped.",
            inner
        );
    }
}
