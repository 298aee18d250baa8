using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>
/// Reads the data-plane tables on both endpoints (in parallel) and compares them: the work of
/// step 1, <c>schema_check</c>, and of Test-SchemaParity.
/// </summary>
public static class SchemaParity
{
    /// <summary>Every difference between the two ends, in table-list order.</summary>
    public static async Task<IReadOnlyList<SchemaDifference>> CompareAsync(
        ResolvedProfile resolved,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        observer ??= NullRunObserver.Instance;
        var tables = resolved.Profile.Tables;
        var shopwareTask = ReadAsync(resolved.Shopware, tables, observer, cancellationToken);
        var clusterTask = ReadAsync(resolved.Cluster, tables, observer, cancellationToken);
        var shopware = await shopwareTask.ConfigureAwait(false);
        var cluster = await clusterTask.ConfigureAwait(false);
        var differences = SchemaComparer.Compare(tables, shopware, cluster);
        observer.Verbose(
            $"Compared {tables.Count} table(s): {differences.Count(d => d.Severity == DifferenceSeverity.Error)} error(s), {differences.Count(d => d.Severity == DifferenceSeverity.Warning)} warning(s)."
        );
        return differences;
    }

    private static async Task<IReadOnlyDictionary<string, TableDefinition>> ReadAsync(
        ConnectionTarget target,
        IReadOnlyList<string> tables,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        using var connection = await ConnectionFactory.OpenAsync(target, cancellationToken).ConfigureAwait(false);
        var snapshot = await SchemaReader.ReadAsync(connection, tables, cancellationToken).ConfigureAwait(false);
        observer.Verbose(
            $"Read the schema of {snapshot.Tables.Count} of {tables.Count} table(s) on the {target.Endpoint.Role} endpoint {target.Endpoint} ({snapshot.Flavor})."
        );
        return SchemaNormalizer.Normalize(snapshot);
    }
}
