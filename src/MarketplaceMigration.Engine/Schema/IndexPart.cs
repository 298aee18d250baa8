using System.Text;
using MarketplaceMigration.Engine.Connections;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>One key part of an index: a column (with optional prefix length) or an expression, ascending or descending.</summary>
/// <param name="Column">Column name, or null for an expression.</param>
/// <param name="Expression">Canonical expression of a functional key part, or null.</param>
/// <param name="PrefixLength">Prefix length, or null for the whole column.</param>
/// <param name="Descending">DESC.</param>
public sealed record IndexPart(string? Column, string? Expression, long? PrefixLength, bool Descending)
{
    /// <summary>SQL spelling: <c>`name`(10) DESC</c>.</summary>
    public override string ToString()
    {
        var b = new StringBuilder(Column != null ? SqlIdentifier.Quote(Column) : "(" + Expression + ")");
        if (PrefixLength.HasValue)
            b.Append('(').Append(PrefixLength.Value).Append(')');
        if (Descending)
            b.Append(" DESC");
        return b.ToString();
    }
}
