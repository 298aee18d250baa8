using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>
/// The engine's floors (src/MarketplaceMigration.Engine/README.md), read from its IL: a namespace uses
/// only floors below its own, plus the few sideways uses listed; and the forbidden dependencies the
/// layering exists to prevent are named one by one, so a failure says which rule broke and where.
/// </summary>
public sealed class LayeringTests
{
    private const string Prefix = "MarketplaceMigration.Engine.";

    /// <summary>Bottom to top. Each namespace of the engine is on exactly one floor.</summary>
    private static readonly string[][] Floors =
    {
        new[] { "Errors", "Diagnostics" },
        new[] { "Connections" },
        new[] { "DataPlane" },
        new[] { "Infrastructure", "Schema", "Galera" },
        new[] { "Tables" },
        new[] { "Copy", "Verify", "Online", "Maintenance", "Location", "Cluster" },
        new[] { "Discovery", "State" },
        new[] { "Steps", "SchemaMigrations" },
        new[] { "Runs" },
    };

    /// <summary>Uses within one floor, each for a reason.</summary>
    private static readonly (string From, string To, string Why)[] Sideways =
    {
        ("Copy", "Verify", "a resumed copy proves its partial target with the verification's digest"),
        ("Online", "Copy", "the replay loads rows with the copy's loader"),
        ("SchemaMigrations", "Steps", "-FromParity writes a migration from step 1's comparison"),
    };

    /// <summary>The mechanisms: they work on connection targets and plain settings objects.</summary>
    private static readonly string[] Mechanisms = { "Copy", "Verify", "Online", "Maintenance", "Location", "Cluster", "Schema", "Tables" };

    /// <summary>The dependencies the floors exist to prevent (issue 15), checked by name.</summary>
    private static readonly (string From, string To)[] Forbidden = ForbiddenPairs().ToArray();

    private static IEnumerable<(string, string)> ForbiddenPairs()
    {
        // Mechanisms take connection targets and plain settings, never the profile, the run's options or its state.
        foreach (var mechanism in Mechanisms)
        {
            foreach (var above in new[] { "Runs", "Steps", "State", "Discovery" })
                yield return (mechanism, above);
        }

        yield return ("Verify", "Copy");
        yield return ("Discovery", "Runs");
        yield return ("Discovery", "Steps");
        yield return ("Discovery", "State");
        yield return ("State", "Runs");
        yield return ("Steps", "Runs");
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Graph() =>
        NamespaceDependencies.Read(typeof(Errors.MigrationException).Assembly.Location, Prefix);

    [Fact]
    public void NoForbiddenDependency()
    {
        var graph = Graph();
        var broken = Forbidden
            .Where(f => graph.TryGetValue(f.From, out var uses) && uses.ContainsKey(f.To))
            .Select(f => $"{f.From} -> {f.To} ({graph[f.From][f.To]})")
            .ToList();
        Assert.True(broken.Count == 0, "Forbidden dependencies: " + string.Join("; ", broken));
    }

    [Fact]
    public void EveryNamespaceUsesOnlyTheFloorsBelowIt()
    {
        var floorOf = Floors.SelectMany((names, i) => names.Select(n => (n, i))).ToDictionary(p => p.n, p => p.i);
        var graph = Graph();
        var unplaced = graph.Keys.Where(n => !floorOf.ContainsKey(n)).ToList();
        Assert.True(unplaced.Count == 0, "Namespaces on no floor (place them in LayeringTests.Floors and the engine README): " + string.Join(", ", unplaced));
        var upward = graph
            .SelectMany(from => from.Value.Select(to => (From: from.Key, To: to.Key, Why: to.Value)))
            .Where(e => floorOf[e.To] > floorOf[e.From] || (floorOf[e.To] == floorOf[e.From] && !Sideways.Any(s => s.From == e.From && s.To == e.To)))
            .Select(e => $"{e.From} -> {e.To} ({e.Why})")
            .ToList();
        Assert.True(upward.Count == 0, "Uses of a floor above or beside: " + string.Join("; ", upward));
    }

    [Fact]
    public void TheFloorsDescribeTheEngineAsItIs()
    {
        // A floor rule for a namespace that no longer exists would silently allow nothing.
        var graph = Graph();
        var gone = Floors.SelectMany(f => f).Where(n => !graph.ContainsKey(n)).ToList();
        Assert.True(gone.Count == 0, "Floors name namespaces the engine does not have: " + string.Join(", ", gone));
        Assert.All(Sideways, s => Assert.True(graph[s.From].ContainsKey(s.To), $"{s.From} -> {s.To} is allowed but unused: remove it"));
    }

    [Fact]
    public void TheEngineReferencesNoPowerShell()
    {
        var references = NamespaceDependencies.References(typeof(Errors.MigrationException).Assembly.Location);
        Assert.DoesNotContain(references, r => r.StartsWith("System.Management.Automation", StringComparison.Ordinal) || r.Contains("PowerShell", StringComparison.Ordinal));
        Assert.Contains("MySqlConnector", references);
    }

    [Fact]
    public void TheReaderSeesUsesInsideMethodBodies()
    {
        // The instrument itself: these uses appear only as calls inside method bodies (and lambdas and async
        // state machines), never in a signature; a reader that saw only signatures would pass any layering.
        var graph = Graph();
        Assert.Contains("DataPlane", graph["Location"].Keys);      // DataLocation.Role() calls DataLocations.FromSelector
        Assert.Contains("Steps", graph["Runs"].Keys);
        Assert.Contains("Tables", graph["Verify"].Keys);
    }
}
