using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.DataPlane;

/// <summary>
/// The data plane: the 22 documented <c>flyokai_*</c> business tables, as an explicit list (never a
/// <c>LIKE 'flyokai_%'</c> pattern, which would also catch identity tables and DAL extensions).
/// </summary>
public static class DataPlaneTables
{
    /// <summary>The documented data plane, in the dependency order of the schema (parents first).</summary>
    public static IReadOnlyList<string> Default { get; } =
        new[]
        {
            "flyokai_seller_group",
            "flyokai_seller",
            "flyokai_seller_address",
            "flyokai_seller_branding",
            "flyokai_seller_payout_config",
            "flyokai_seller_stock_source",
            "flyokai_shipping_service",
            "flyokai_shipping_profile",
            "flyokai_shipping_profile_service",
            "flyokai_shipping_profile_service_carrier",
            "flyokai_seller_offer",
            "flyokai_seller_offer_price",
            "flyokai_seller_offer_stock",
            "flyokai_statement",
            "flyokai_payout",
            "flyokai_purchase_order",
            "flyokai_purchase_order_line",
            "flyokai_statement_line",
            "flyokai_chain",
            "flyokai_mail",
            "flyokai_mail_recipient",
            "flyokai_mail_pending_send",
        };

    private static readonly Regex ValidName = new("^[A-Za-z0-9_$]{1,64}$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Why <paramref name="table"/> belongs to the identity plane or the cluster's own tables and must
    /// never be moved; null when it may be.
    /// </summary>
    public static string? IdentityPlaneReason(string table)
    {
        var t = table.ToLowerInvariant();
        if (t == "flyokai_user")
            return "flyokai_user is the identity plane: portal logins always live in Shopware";
        if (t.StartsWith("flyokai_oauth", StringComparison.Ordinal))
            return $"{table} is an OAuth table of the identity plane, which always stays in Shopware";
        if (t.StartsWith("flyok_", StringComparison.Ordinal))
            return $"{table} is one of the cluster's own bootstrap tables (flyok_*), pinned to the cluster's database";
        if (!t.StartsWith("flyokai_", StringComparison.Ordinal))
            return $"{table} is not a flyokai_* marketplace table; Shopware's own tables are never moved";
        return null;
    }

    /// <summary>Checks a table list and returns it unchanged, or throws <c>TableListInvalid</c> naming the bad entry.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<string> tables, string source)
    {
        if (tables is null || tables.Count == 0)
        {
            throw Invalid(
                source,
                $"The table list from {source} is empty.",
                "name at least one data-plane table, or leave the list out to use the documented 22."
            );
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in tables)
        {
            if (table is null || !ValidName.IsMatch(table))
            {
                throw Invalid(
                    source,
                    $"The table list from {source} holds '{table}', which is not a table name.",
                    "use plain table names such as flyokai_seller."
                );
            }

            if (!seen.Add(table))
            {
                throw Invalid(source, $"The table list from {source} names {table} twice.", "name each table once.");
            }

            var reason = IdentityPlaneReason(table);
            if (reason != null)
            {
                throw Invalid(
                    source,
                    $"The table list from {source} names {table}: {reason}.",
                    $"remove {table} from the list; only data-plane tables move."
                );
            }
        }

        return tables.ToArray();
    }

    private static MigrationException Invalid(string source, string message, string fix) =>
        new(ErrorIds.TableListInvalid, MigrationErrorKind.InvalidInput, source, message, fix);
}
