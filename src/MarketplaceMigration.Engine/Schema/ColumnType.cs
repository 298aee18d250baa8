using System.Collections.Generic;
using System.Text;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>
/// A column type in canonical form: display widths dropped, MariaDB's JSON alias recognised,
/// <c>utf8</c> spelled <c>utf8mb3</c>. Two columns have the same type exactly when these fields are equal.
/// </summary>
public sealed record ColumnType
{
    /// <summary>Base type in lower case: int, varchar, decimal, json, enum, ...</summary>
    public string BaseType { get; init; } = string.Empty;

    /// <summary>Length of char, varchar, binary, varbinary and bit.</summary>
    public long? Length { get; init; }

    /// <summary>Precision of decimal (and float/double when declared with one).</summary>
    public long? Precision { get; init; }

    /// <summary>Scale of decimal (and float/double when declared with one).</summary>
    public long? Scale { get; init; }

    /// <summary>Fractional seconds of time, datetime and timestamp.</summary>
    public long? FractionalSeconds { get; init; }

    /// <summary>UNSIGNED.</summary>
    public bool Unsigned { get; init; }

    /// <summary>ZEROFILL.</summary>
    public bool Zerofill { get; init; }

    /// <summary>The members of an enum or set, in order.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>The members as SQL: <c>'a','b'</c>.</summary>
    public string? ValuesText => Values == null ? null : "'" + string.Join("','", Values) + "'";

    /// <summary>The canonical SQL spelling, e.g. <c>decimal(12,4) unsigned</c>.</summary>
    public override string ToString()
    {
        var b = new StringBuilder(BaseType);
        if (Values != null)
            b.Append('(').Append(ValuesText).Append(')');
        else if (Precision.HasValue)
            b.Append('(').Append(Precision.Value).Append(Scale.HasValue ? "," + Scale.Value : string.Empty).Append(')');
        else if (Length.HasValue)
            b.Append('(').Append(Length.Value).Append(')');
        else if (FractionalSeconds is > 0)
            b.Append('(').Append(FractionalSeconds.Value).Append(')');
        if (Unsigned)
            b.Append(" unsigned");
        if (Zerofill)
            b.Append(" zerofill");
        return b.ToString();
    }

    /// <inheritdoc />
    public bool Equals(ColumnType? other) =>
        other != null
        && BaseType == other.BaseType
        && Length == other.Length
        && Precision == other.Precision
        && Scale == other.Scale
        && FractionalSeconds == other.FractionalSeconds
        && Unsigned == other.Unsigned
        && Zerofill == other.Zerofill
        && ValuesText == other.ValuesText;

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode();
}
