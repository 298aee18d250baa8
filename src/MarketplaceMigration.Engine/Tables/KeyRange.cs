using System.Collections.Generic;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>
/// The primary keys after <see cref="Lower"/> up to and including <see cref="Upper"/>: a range of a table's rows
/// (null <see cref="Lower"/>: from the table's start; null <see cref="Upper"/>: to its end). Kept in the state file.
/// </summary>
public sealed class KeyRange
{
    /// <summary>The key before the range's first row, or null from the table's start.</summary>
    public List<KeyValue>? Lower { get; set; }

    /// <summary>The range's last key, or null to the table's end.</summary>
    public List<KeyValue>? Upper { get; set; }
}
