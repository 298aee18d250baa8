using System;
using System.Collections.Generic;
using System.Net;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>What the caller gives explicitly; each field left null is taken from the profile file, then discovered.</summary>
public sealed record ProfileRequest
{
    /// <summary>-ShopwareRoot.</summary>
    public string? ShopwareRoot { get; init; }

    /// <summary>-ProfilePath.</summary>
    public string? ProfilePath { get; init; }

    /// <summary>-ClusterConfigPath.</summary>
    public string? ClusterConfigPath { get; init; }

    /// <summary>-Table.</summary>
    public IReadOnlyList<string>? Tables { get; init; }

    /// <summary>-ShopwareCredential: user and password for Shopware's database.</summary>
    public NetworkCredential? ShopwareCredential { get; init; }

    /// <summary>-ClusterCredential: user and password for the cluster's database.</summary>
    public NetworkCredential? ClusterCredential { get; init; }

    /// <summary>The caller's current directory (a Shopware root candidate).</summary>
    public string? CurrentDirectory { get; init; }

    /// <summary>Reads a process environment variable.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Check that every listed table exists on the Shopware endpoint.</summary>
    public bool VerifyTables { get; init; }
}
