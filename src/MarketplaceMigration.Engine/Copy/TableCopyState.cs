using System.Collections.Generic;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>Copy progress of one table: a checkpoint after every chunk.</summary>
public sealed class TableCopyState
{
    /// <summary>Table name.</summary>
    public string Table { get; set; } = string.Empty;

    /// <summary>Rows counted on the source when the copy was planned (step 3).</summary>
    public long RowsPlanned { get; set; }

    /// <summary>Rows committed to the target so far.</summary>
    public long RowsCopied { get; set; }

    /// <summary>Chunks committed so far.</summary>
    public int ChunksCopied { get; set; }

    /// <summary>The primary key of the last committed row (typed JSON values), or null before the first chunk.</summary>
    public List<KeyValue>? LastKey { get; set; }

    /// <summary>The source table's AUTO_INCREMENT counter, carried to the target; null without one.</summary>
    public ulong? AutoIncrement { get; set; }

    /// <summary>Every row is on the target.</summary>
    public bool Complete { get; set; }

    /// <summary>Forgets the copy of this table, so it is copied again (its target rows are removed first).</summary>
    public void Reset()
    {
        RowsCopied = 0;
        ChunksCopied = 0;
        LastKey = null;
        Complete = false;
    }
}
