using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Cluster;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 8: ping the marketplace through the restarted cluster in a fresh process and check it answers
/// from the new location. Alone: Test-MarketplaceCluster, against the end the data lives in.
/// </summary>
public sealed class SmokeTestStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "smoke_test";

    /// <inheritdoc />
    public int Number => 8;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => true;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"run '{context.Profile.SmokeCommand ?? "(no smoke command)"}' and check its seller count against {context.Target.Endpoint}";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var result = await PingAsync(context, cancellationToken).ConfigureAwait(false);
        outcome.Summary = result.Sellers.HasValue
            ? $"Ping answered {result.Sellers} seller(s), as the new location holds."
            : "Ping answered (no seller count reported).";
        outcome.Set("Sellers", result.Sellers?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not reported)");
    }

    /// <summary>Test-MarketplaceCluster: the step's body against the end both selectors name.</summary>
    public static async Task<SmokeResult> AloneAsync(ResolvedProfile resolved, IRunObserver observer, CancellationToken cancellationToken)
    {
        var live = await LiveEnd.RoleAsync(resolved, null, cancellationToken).ConfigureAwait(false);
        return await PingAsync(
                RunContext.Alone(resolved, DataPlane.DataLocations.Toward(live), "Test-MarketplaceCluster", observer),
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>The body: ping through the cluster and check the answer against the context's target (where the data now lives).</summary>
    private static Task<SmokeResult> PingAsync(RunContext context, CancellationToken cancellationToken) =>
        SmokeTest.RunAsync(context.Resolved.ClusterSettings, context.Target, context.Observer, cancellationToken);
}
