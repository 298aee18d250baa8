using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Schema;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>Reads the layouts of the data-plane tables from an endpoint's schema.</summary>
public static class LayoutReader
{
    /// <summary>The layout of every listed table, in list order; a table missing on the endpoint is an error.</summary>
    public static async Task<IReadOnlyList<TableLayout>> ReadAsync(
        ConnectionTarget endpoint,
        IReadOnlyList<string> tables,
        CancellationToken cancellationToken
    )
    {
        using var connection = await ConnectionFactory.OpenAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return From(endpoint, await SchemaReader.ReadAsync(connection, tables, cancellationToken).ConfigureAwait(false), tables);
    }

    /// <summary>The layouts from a schema already read from <paramref name="endpoint"/> (in list order; a table missing there is an error).</summary>
    public static IReadOnlyList<TableLayout> From(ConnectionTarget endpoint, SchemaSnapshot snapshot, IReadOnlyList<string> tables)
    {
        if (endpoint is null)
            throw new ArgumentNullException(nameof(endpoint));
        if (tables is null)
            throw new ArgumentNullException(nameof(tables));
        var definitions = SchemaNormalizer.Normalize(snapshot);
        var missing = tables.Where(t => !definitions.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            throw new MigrationException(
                ErrorIds.TableNotFound,
                MigrationErrorKind.NotFound,
                endpoint.Endpoint + "." + missing[0],
                $"{missing.Count} table(s) of the data plane do not exist on the {endpoint.Endpoint.Role} endpoint "
                    + $"{endpoint.Endpoint}: {string.Join(", ", missing)}.",
                "create them with the schema migrations (Test-SchemaParity shows what differs), then rerun."
            );
        }

        return tables.Select(t => TableLayout.From(definitions[t])).ToList();
    }
}
