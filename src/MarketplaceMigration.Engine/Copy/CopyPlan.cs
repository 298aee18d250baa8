using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// What a copy starts from and ends with: every table counted, and its AUTO_INCREMENT read, in one
/// consistent snapshot of the source; after the copy, each counter carried to the target.
/// </summary>
public static class CopyPlan
{
    /// <summary>A fresh copy record per table, in layout order.</summary>
    public static async Task<List<TableCopyState>> ReadAsync(
        ConnectionTarget source,
        IReadOnlyList<TableLayout> layouts,
        CancellationToken cancellationToken
    )
    {
        if (layouts is null)
            throw new ArgumentNullException(nameof(layouts));
        var plan = new List<TableCopyState>();
        using var connection = await TableSession.OpenReadAsync(source, cancellationToken).ConfigureAwait(false);
        await TableSession.ExecuteAsync(connection, "START TRANSACTION WITH CONSISTENT SNAPSHOT", cancellationToken).ConfigureAwait(false);
        var counters = await AutoIncrement
            .ReadAllAsync(connection, layouts.Select(l => l.Table).ToList(), cancellationToken)
            .ConfigureAwait(false);
        foreach (var layout in layouts)
        {
            using var count = new MySqlCommand($"SELECT COUNT(*) FROM {layout.Quoted}", connection);
            plan.Add(
                new TableCopyState
                {
                    Table = layout.Table,
                    RowsPlanned = Convert.ToInt64(
                        await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                        CultureInfo.InvariantCulture
                    ),
                    AutoIncrement = counters.TryGetValue(layout.Table, out var counter) ? counter : null,
                }
            );
        }

        await TableSession.ExecuteAsync(connection, "COMMIT", cancellationToken).ConfigureAwait(false);
        return plan;
    }

    /// <summary>
    /// Sets each target table's AUTO_INCREMENT to the source's counter recorded in the plan, where it differs (after a copy
    /// most already match: each is one DDL statement, and under an online run's gate every one is part of the freeze).
    /// </summary>
    public static async Task CarryAutoIncrementAsync(
        ConnectionTarget target,
        IReadOnlyList<TableLayout> layouts,
        Func<string, TableCopyState> planOf,
        CancellationToken cancellationToken
    )
    {
        if (layouts is null)
            throw new ArgumentNullException(nameof(layouts));
        if (planOf is null)
            throw new ArgumentNullException(nameof(planOf));
        using var connection = await TableSession.OpenWriteAsync(target, cancellationToken).ConfigureAwait(false);
        var now = await AutoIncrement
            .ReadAllAsync(connection, layouts.Select(l => l.Table).ToList(), cancellationToken)
            .ConfigureAwait(false);
        foreach (var layout in layouts)
        {
            if (
                planOf(layout.Table).AutoIncrement is not { } planned
                || (now.TryGetValue(layout.Table, out var current) && current == planned)
            )
                continue;
            await AutoIncrement.WriteAsync(connection, layout, planned, cancellationToken).ConfigureAwait(false);
        }
    }
}
