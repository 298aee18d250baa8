using System;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>The server product and version, as <c>SELECT VERSION()</c> reports it.</summary>
/// <param name="Product">MySQL or MariaDB.</param>
/// <param name="Version">The version string.</param>
public sealed record ServerFlavor(ServerProduct Product, string Version)
{
    /// <summary>Reads the product from a <c>VERSION()</c> string such as <c>10.11.19-MariaDB-0+deb12u1</c> or <c>8.4.3</c>.</summary>
    public static ServerFlavor FromVersion(string version) =>
        new(
            version?.IndexOf("MariaDB", StringComparison.OrdinalIgnoreCase) >= 0 ? ServerProduct.MariaDb : ServerProduct.MySql,
            version ?? string.Empty
        );

    /// <summary>e.g. <c>MariaDB 10.11.19-MariaDB-0+deb12u1</c>.</summary>
    public override string ToString() => (Product == ServerProduct.MariaDb ? "MariaDB " : "MySQL ") + Version;
}
