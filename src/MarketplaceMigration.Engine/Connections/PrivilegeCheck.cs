using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Connections;

/// <summary>One privilege a run needs on one endpoint: global (<see cref="Table"/> null and <see cref="Global"/>), or on a table
/// of the endpoint's database.</summary>
public sealed record PrivilegeNeed(string Privilege, string? Table, bool Global, string Why);

/// <summary>
/// Checks, before anything changes, that the endpoints' users hold what the steps will need, from the
/// server's own account of the current user's grants (information_schema USER_, SCHEMA_ and
/// TABLE_PRIVILEGES, schema patterns matched as the server matches them). A grant that arrives through
/// a role is not listed there: with an enabled role the check warns instead of refusing.
/// </summary>
public static class PrivilegeCheck
{
    /// <summary>What a move needs. Shopware's end always holds the gate and the dataLocation row (system_config).</summary>
    public static IReadOnlyList<(EndpointRole Role, PrivilegeNeed Need)> ForMove(
        EndpointRole source,
        IReadOnlyList<string> tables,
        bool dropSource,
        bool online = false
    )
    {
        if (tables is null)
            throw new ArgumentNullException(nameof(tables));
        var target = source == EndpointRole.Shopware ? EndpointRole.Cluster : EndpointRole.Shopware;
        var needs = new List<(EndpointRole, PrivilegeNeed)>
        {
            (
                EndpointRole.Shopware,
                new PrivilegeNeed("SELECT", "system_config", false, "steps 2, 6 and 10 read the gate and the dataLocation row")
            ),
            (EndpointRole.Shopware, new PrivilegeNeed("INSERT", "system_config", false, "steps 2 and 10 set and lift the gate")),
            (
                EndpointRole.Shopware,
                new PrivilegeNeed("UPDATE", "system_config", false, "steps 2, 6 and 10 write the gate and the dataLocation row")
            ),
            (source, new PrivilegeNeed("PROCESS", null, true, "step 2 proves the source drained (information_schema.INNODB_TRX)")),
        };
        foreach (var table in tables)
        {
            needs.Add((source, new PrivilegeNeed("SELECT", table, false, "steps 3 and 5 read every row")));
            if (dropSource)
                needs.Add((source, new PrivilegeNeed("DROP", table, false, "step 9 empties the source (TRUNCATE)")));
            needs.Add((target, new PrivilegeNeed("SELECT", table, false, "step 5 reads every copied row")));
            needs.Add((target, new PrivilegeNeed("INSERT", table, false, "step 4 loads the rows")));
            needs.Add((target, new PrivilegeNeed("DELETE", table, false, "step 4 removes an unrecorded chunk on resume")));
            needs.Add((target, new PrivilegeNeed("DROP", table, false, "step 4 empties the target set (TRUNCATE)")));
            needs.Add((target, new PrivilegeNeed("ALTER", table, false, "step 4 carries the AUTO_INCREMENT counter")));
            if (online)
                needs.Add((source, new PrivilegeNeed("TRIGGER", table, false, "an online move captures changes with triggers")));
        }

        if (online)
        {
            foreach (var privilege in new[] { "CREATE", "DROP", "INSERT", "UPDATE" })
            {
                needs.Add(
                    (
                        source,
                        new PrivilegeNeed(
                            privilege,
                            null,
                            false,
                            "an online move keeps a changelog table per data-plane table on the source (_mm_chg_*)"
                        )
                    )
                );
            }
        }

        return needs;
    }

    /// <summary>Refuses (PrivilegeMissing) when the endpoint's user lacks one of <paramref name="needs"/>.</summary>
    public static async Task CheckAsync(
        ConnectionTarget endpoint,
        IEnumerable<PrivilegeNeed> needs,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (endpoint is null)
            throw new ArgumentNullException(nameof(endpoint));
        observer ??= NullRunObserver.Instance;
        using var connection = await ConnectionFactory.OpenAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var grants = new List<(string Privilege, string? Table, bool Global)>();
        string account;
        bool roles;
        using (
            var command = new MySqlCommand(
                "SELECT CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')",
                connection
            )
        )
        {
            account = Convert.ToString(
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                System.Globalization.CultureInfo.InvariantCulture
            )!;
        }

        roles = await RolesEnabledAsync(connection, cancellationToken).ConfigureAwait(false);

        using (
            var command = new MySqlCommand(
                "SELECT PRIVILEGE_TYPE, NULL, 1 FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = @g "
                    + "UNION ALL SELECT PRIVILEGE_TYPE, NULL, 0 FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = @g AND DATABASE() LIKE TABLE_SCHEMA "
                    + "UNION ALL SELECT PRIVILEGE_TYPE, TABLE_NAME, 0 FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = @g "
                    + "AND TABLE_SCHEMA = DATABASE()",
                connection
            )
        )
        {
            command.Parameters.AddWithValue("@g", account);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                grants.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2) == 1));
            }
        }

        bool Held(PrivilegeNeed need) =>
            grants.Any(g =>
                string.Equals(g.Privilege, need.Privilege, StringComparison.OrdinalIgnoreCase)
                && (
                    g.Global
                    || (!need.Global && (g.Table == null || string.Equals(g.Table, need.Table, StringComparison.OrdinalIgnoreCase)))
                )
            );
        var missing = needs.Where(n => !Held(n)).ToList();
        if (missing.Count == 0)
            return;

        var byPrivilege = missing.GroupBy(m => m.Privilege, StringComparer.OrdinalIgnoreCase).ToList();
        var what = string.Join(
            "; ",
            byPrivilege.Select(g =>
                $"{g.Key} " + (g.First().Global ? "(global)" : "on " + Names(g.Select(m => m.Table!))) + $" ({g.First().Why})"
            )
        );
        var grantsToRun = string.Join(
            " ",
            byPrivilege
                .GroupBy(g => g.First().Global)
                .Select(g =>
                    $"GRANT {string.Join(", ", g.Select(p => p.Key.ToUpperInvariant()))} ON "
                    + $"{(g.Key ? "*.*" : SqlIdentifier.Quote(endpoint.Endpoint.Database) + ".*")} TO {account};"
                )
        );
        if (roles)
        {
            observer.Warning(
                $"The {endpoint.Endpoint.Role} endpoint's user {account} does not hold directly: {what}. A role is enabled and "
                    + "may grant them; if it does not, the step that needs them will fail with the server's message."
            );
            return;
        }

        throw new MigrationException(
            ErrorIds.PrivilegeMissing,
            MigrationErrorKind.Permission,
            endpoint.Endpoint.ToString(),
            $"The {endpoint.Endpoint.Role} endpoint's user {account} lacks what the run needs: {what}.",
            $"as an administrator run: {grantsToRun} Then rerun. Nothing has changed yet."
        );
    }

    /// <summary>
    /// Whether a role is enabled for the session: information_schema.ENABLED_ROLES (MariaDB, and MySQL
    /// from 8.0.19; one row of NULL on MariaDB when none), else CURRENT_ROLE() ('NONE' on MySQL). When
    /// neither answers, a role is assumed possible, so the check warns rather than refuses.
    /// </summary>
    private static async Task<bool> RolesEnabledAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        foreach (
            var sql in new[]
            {
                "SELECT COUNT(ROLE_NAME) FROM information_schema.ENABLED_ROLES",
                "SELECT IF(CURRENT_ROLE() IS NULL OR CURRENT_ROLE() = 'NONE', 0, 1)",
            }
        )
        {
            try
            {
                using var command = new MySqlCommand(sql, connection);
                return Convert.ToInt64(
                        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                        System.Globalization.CultureInfo.InvariantCulture
                    ) > 0;
            }
            catch (MySqlException)
            {
                // Not on this server version: try the next way.
            }
        }

        return true;
    }

    private static string Names(IEnumerable<string> tables)
    {
        var list = tables.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return list.Count <= 3 ? string.Join(", ", list) : $"{string.Join(", ", list.Take(3))} and {list.Count - 3} more table(s)";
    }
}
