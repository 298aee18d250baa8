using System;
using System.Collections.Generic;
using System.Globalization;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// Parses Shopware's <c>DATABASE_URL</c> (<c>mysql://user:pass@host:port/db?params</c>, Doctrine DBAL
/// rules: user and password are percent-decoded, port defaults to 3306, <c>unix_socket</c> in the
/// query selects a socket). Error messages never repeat the URL, because it holds the password.
/// </summary>
public static class DatabaseUrl
{
    private static readonly string[] Schemes = { "mysql", "mysql2", "pdo-mysql", "mariadb", "pdo-mariadb" };

    /// <summary>Parses the URL into a connection target for the Shopware endpoint.</summary>
    /// <param name="url">The DATABASE_URL value.</param>
    /// <param name="source">Where it was found, e.g. <c>/srv/shop/.env.local</c>.</param>
    /// <param name="tls">Shopware's DATABASE_SSL_* settings found beside it.</param>
    public static ConnectionTarget Parse(string url, string source, TlsSettings tls)
    {
        if (tls is null)
            throw new ArgumentNullException(nameof(tls));
        if (string.IsNullOrWhiteSpace(url))
            throw Invalid(source, "it is empty");
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
            throw Invalid(source, "it does not start with mysql://");
        var scheme = url.Substring(0, schemeEnd).ToLowerInvariant();
        if (Array.IndexOf(Schemes, scheme) < 0)
        {
            throw Invalid(
                source,
                $"its scheme is '{scheme}', and MarketplaceMigration moves data between MySQL or MariaDB servers only (mysql://)"
            );
        }

        var rest = url.Substring(schemeEnd + 3);
        var query = string.Empty;
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest.Substring(q + 1);
            rest = rest.Substring(0, q);
        }

        var slash = rest.IndexOf('/', Math.Max(0, rest.LastIndexOf('@')));
        var authority = slash >= 0 ? rest.Substring(0, slash) : rest;
        var database = slash >= 0 ? Decode(rest.Substring(slash + 1)) : string.Empty;
        if (database.Length == 0 || database.Contains("/"))
            throw Invalid(source, "it names no database after the host (…/databasename)");

        string user = string.Empty;
        string? password = null;
        var at = authority.LastIndexOf('@');
        var hostPort = authority;
        if (at >= 0)
        {
            var userInfo = authority.Substring(0, at);
            hostPort = authority.Substring(at + 1);
            var colon = userInfo.IndexOf(':');
            user = Decode(colon >= 0 ? userInfo.Substring(0, colon) : userInfo);
            if (colon >= 0)
                password = Decode(userInfo.Substring(colon + 1));
        }

        if (user.Length == 0)
            throw Invalid(source, "it names no user (mysql://user:password@host/db)");
        var (host, port) = SplitHostPort(hostPort, source);
        var parameters = ParseQuery(query);
        if (parameters.TryGetValue("unix_socket", out var socket) && socket.Length > 0)
            host = socket;

        var endpoint = new ServerEndpoint(
            EndpointRole.Shopware,
            host,
            port,
            user,
            database,
            "DATABASE_URL in " + source,
            tls.SslMode,
            tls.SslCa
        );
        return new ConnectionTarget(endpoint, password);
    }

    private static (string Host, int Port) SplitHostPort(string hostPort, string source)
    {
        string host;
        string? portText = null;
        if (hostPort.StartsWith("[", StringComparison.Ordinal))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0)
                throw Invalid(source, "its IPv6 host has no closing ']'");
            host = hostPort.Substring(1, close - 1);
            if (close + 1 < hostPort.Length)
            {
                if (hostPort[close + 1] != ':')
                    throw Invalid(source, "unexpected text after the IPv6 host");
                portText = hostPort.Substring(close + 2);
            }
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon >= 0 ? hostPort.Substring(0, colon) : hostPort;
            if (colon >= 0)
                portText = hostPort.Substring(colon + 1);
        }

        if (host.Length == 0)
            throw Invalid(source, "it names no host");
        var port = 3306;
        if (
            portText != null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
        )
        {
            throw Invalid(source, $"its port '{portText}' is not a number from 1 to 65535");
        }

        return (host, port);
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in query.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = Decode(eq >= 0 ? part.Substring(0, eq) : part);
            result[key] = eq >= 0 ? Decode(part.Substring(eq + 1)) : string.Empty;
        }

        return result;
    }

    // rawurldecode semantics, as Doctrine DBAL: '+' stays '+'.
    private static string Decode(string text) => Uri.UnescapeDataString(text);

    private static MigrationException Invalid(string source, string reason) =>
        new(
            ErrorIds.DatabaseUrlInvalid,
            MigrationErrorKind.InvalidInput,
            "DATABASE_URL in " + source,
            $"DATABASE_URL in {source} cannot be used: {reason}. (The value is not shown because it holds the password.)",
            "write it as mysql://user:password@host:port/database, percent-encoding special characters in the user and password (for example @ as %40)."
        );
}
