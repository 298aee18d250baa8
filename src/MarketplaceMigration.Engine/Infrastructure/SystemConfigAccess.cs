using System;
using MarketplaceMigration.Engine.Connections;

namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>
/// Where Shopware keeps the marketplace's settings (the database holding <c>system_config</c>) and what
/// makes its running workers see a direct write: the cache-clear command, run in the Shopware root.
/// </summary>
/// <param name="Database">Shopware's database.</param>
/// <param name="ShopwareRoot">The Shopware root (commands run there).</param>
/// <param name="CacheClearCommand">Run after each write; null for none.</param>
/// <param name="CommandTimeout">How long the command may run.</param>
public sealed record SystemConfigAccess(ConnectionTarget Database, string ShopwareRoot, string? CacheClearCommand, TimeSpan CommandTimeout);
