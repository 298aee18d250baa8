using System;
using System.Collections.Generic;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>What <see cref="ParallelCopy"/> copies, how, and whom it tells.</summary>
public sealed record CopyJob
{
    /// <summary>The end read from.</summary>
    public required ConnectionTarget Source { get; init; }

    /// <summary>The end written to.</summary>
    public required ConnectionTarget Target { get; init; }

    /// <summary>The tables, as read from the source.</summary>
    public required IReadOnlyList<TableLayout> Layouts { get; init; }

    /// <summary>Each table's progress (its plan and checkpoint).</summary>
    public required Func<string, TableCopyState> ProgressOf { get; init; }

    /// <summary>How the copy runs.</summary>
    public CopySettings Settings { get; init; } = new();

    /// <summary>Saves the progress after every chunk (one call at a time).</summary>
    public Action Checkpoint { get; init; } = () => { };

    /// <summary>Told when a table's copy completes (its layout and the seconds it took); null: nobody.</summary>
    public Action<TableLayout, double>? Completed { get; init; }

    /// <summary>Where the secondary indexes dropped for the load are recorded; null: they stay in place.</summary>
    public DeferredIndexRecord? DeferredIndexes { get; init; }
}
