using System;

namespace MarketplaceMigration.Engine.Connections;

/// <summary>Quotes identifiers for MySQL and MariaDB. SQL is never built from user input any other way.</summary>
public static class SqlIdentifier
{
    /// <summary>Wraps a name in backticks, doubling any backtick inside it.</summary>
    public static string Quote(string name)
    {
        if (name is null)
            throw new ArgumentNullException(nameof(name));
        return "`" + name.Replace("`", "``") + "`";
    }
}
