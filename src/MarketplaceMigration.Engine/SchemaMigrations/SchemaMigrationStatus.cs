using System;

namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>One migration on one endpoint (Get-SchemaMigration).</summary>
public sealed class SchemaMigrationStatus
{
    /// <summary>Shopware or Cluster.</summary>
    public string Endpoint { get; init; } = string.Empty;

    /// <summary>yyyyMMddHHmmss.</summary>
    public string Version { get; init; } = string.Empty;

    /// <summary>Description.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Where it stands.</summary>
    public SchemaMigrationState State { get; init; }

    /// <summary>Position in run order (1-based).</summary>
    public int Order { get; init; }

    /// <summary>When its update part finished on this endpoint.</summary>
    public DateTime? AppliedAt { get; init; }

    /// <summary>When its destructive part finished.</summary>
    public DateTime? DestructiveAppliedAt { get; init; }

    /// <summary>Seconds the update part took.</summary>
    public double? Seconds { get; init; }

    /// <summary>Whether it has a destructive part.</summary>
    public bool HasDestructivePart { get; init; }

    /// <summary>The file (null when missing).</summary>
    public string? Path { get; init; }

    /// <summary>The failed statement's number, or the number of statements done of a part in progress.</summary>
    public int? Statement { get; init; }

    /// <summary>A note: the failure's message, the checksum drift.</summary>
    public string? Message { get; init; }
}

/// <summary>One migration part run (or planned with -WhatIf) on one endpoint (Invoke-SchemaMigration).</summary>
public sealed class SchemaMigrationResult
{
    /// <summary>Shopware or Cluster.</summary>
    public string Endpoint { get; init; } = string.Empty;

    /// <summary>yyyyMMddHHmmss.</summary>
    public string Version { get; init; } = string.Empty;

    /// <summary>Description.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>update or updateDestructive.</summary>
    public string Part { get; init; } = string.Empty;

    /// <summary>Applied, or Planned (-WhatIf).</summary>
    public string Outcome { get; init; } = string.Empty;

    /// <summary>Statements run (or to run).</summary>
    public int Statements { get; init; }

    /// <summary>The statement the part started at (1 unless it resumed a failed part).</summary>
    public int FirstStatement { get; init; } = 1;

    /// <summary>Seconds taken.</summary>
    public double Seconds { get; init; }

    /// <summary>The SQL run (or to run).</summary>
    public string[] Sql { get; init; } = Array.Empty<string>();
}
