using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace MarketplaceMigration.Engine.Online;

/// <summary>
/// The names of what an online run puts on the source: one changelog table and up to five triggers
/// per data-plane table, all starting with <c>_mm_</c> so that a look at the schema (or a sweep by
/// <c>Stop-DataMigration</c>) tells them apart from the shop's own. A name over MySQL's 64 characters
/// keeps the table's first characters and ends with a hash of the whole table name.
/// </summary>
public static class CaptureNames
{
    /// <summary>What every capture object's name starts with.</summary>
    public const string Prefix = "_mm_";

    /// <summary>The longest identifier MySQL and MariaDB accept.</summary>
    public const int MaxLength = 64;

    /// <summary>The changelog table of <paramref name="table"/>.</summary>
    public static string Changelog(string table) => Bounded(Prefix + "chg_", table, string.Empty);

    /// <summary>The trigger of <paramref name="table"/> for one event: <c>ai</c>, <c>au</c>, <c>ad</c> (after
    /// insert/update/delete), <c>bu</c>, <c>bd</c> (before update/delete: children a cascade will change).</summary>
    public static string Trigger(string table, string kind) => Bounded(Prefix, table, "_" + kind);

    private static string Bounded(string prefix, string table, string suffix)
    {
        if (table is null)
            throw new ArgumentNullException(nameof(table));
        var name = prefix + table + suffix;
        if (name.Length <= MaxLength)
            return name;
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(table));
        var hex = string.Concat(hash.Take(4).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var keep = MaxLength - prefix.Length - suffix.Length - hex.Length - 1;
        return prefix + table.Substring(0, keep) + "_" + hex + suffix;
    }
}
