namespace MarketplaceMigration.Engine.Schema;

/// <summary>A CHECK constraint other than MariaDB's implicit <c>json_valid</c> check of a JSON column.</summary>
/// <param name="Name">Constraint name.</param>
/// <param name="Clause">Canonical clause.</param>
public sealed record CheckDefinition(string Name, string Clause);
