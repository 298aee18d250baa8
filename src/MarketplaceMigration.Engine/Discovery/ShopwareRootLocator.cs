using System.IO;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// Finds the Shopware root: the explicit path, else the profile's, else <c>$env:SHOPWARE_ROOT</c>,
/// else the current directory when it holds <c>bin/console</c> or <c>.env</c>.
/// </summary>
public static class ShopwareRootLocator
{
    /// <summary>Returns the root's full path and how it was chosen.</summary>
    public static (string Root, string Source) Locate(
        string? explicitRoot,
        string? profileRoot,
        string? environmentRoot,
        string? currentDirectory
    )
    {
        if (!string.IsNullOrEmpty(explicitRoot))
            return (Existing(explicitRoot!, "-ShopwareRoot"), "-ShopwareRoot");
        if (!string.IsNullOrEmpty(profileRoot))
            return (Existing(profileRoot!, "shopwareRoot in the profile"), "the profile");
        if (!string.IsNullOrEmpty(environmentRoot))
            return (Existing(environmentRoot!, "$env:SHOPWARE_ROOT"), "$env:SHOPWARE_ROOT");
        if (!string.IsNullOrEmpty(currentDirectory) && LooksLikeShopware(currentDirectory!))
        {
            return (Path.GetFullPath(currentDirectory!), "the current directory");
        }

        throw new MigrationException(
            ErrorIds.ShopwareRootNotFound,
            MigrationErrorKind.NotFound,
            currentDirectory,
            "No Shopware root was given, $env:SHOPWARE_ROOT is not set, and the current directory "
                + $"({currentDirectory ?? "unknown"}) has neither bin/console nor .env.",
            "pass -ShopwareRoot /path/to/shopware, set $env:SHOPWARE_ROOT, or run from the Shopware root."
        );
    }

    /// <summary>Whether a directory looks like a Shopware root.</summary>
    public static bool LooksLikeShopware(string directory) =>
        File.Exists(Path.Combine(directory, "bin", "console"))
        || File.Exists(Path.Combine(directory, ".env"))
        || File.Exists(Path.Combine(directory, ".env.local.php"));

    private static string Existing(string path, string from)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new MigrationException(
                ErrorIds.ShopwareRootNotFound,
                MigrationErrorKind.NotFound,
                full,
                $"The Shopware root {full} (from {from}) is not a directory.",
                "give the directory that holds the shop's bin/console and .env."
            );
        }

        return full;
    }
}
