namespace MarketplaceMigration.Engine.Schema;

/// <summary>Which server family answers on an endpoint.</summary>
public enum ServerProduct
{
    /// <summary>Oracle MySQL (5.7, 8.x).</summary>
    MySql,

    /// <summary>MariaDB (10.x, 11.x).</summary>
    MariaDb,
}
