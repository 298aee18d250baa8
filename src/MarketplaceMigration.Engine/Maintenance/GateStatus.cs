namespace MarketplaceMigration.Engine.Maintenance;

/// <summary>The maintenance gate (Get-/Set-/Clear-MaintenanceGate).</summary>
/// <param name="ShopwareRoot">The Shopware root.</param>
/// <param name="Set">Whether the gate is set.</param>
/// <param name="DataLocation">Where the data lives (Shopware's selector).</param>
/// <param name="Shopware">The endpoint whose system_config holds the flag.</param>
/// <param name="TransactionsDrained">Transactions waited for after setting it (Set-MaintenanceGate).</param>
/// <param name="DrainSeconds">How long that took.</param>
public sealed record GateStatus(
    string ShopwareRoot,
    bool Set,
    string DataLocation,
    string Shopware,
    int TransactionsDrained,
    double DrainSeconds
);
