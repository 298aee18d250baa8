using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Cluster;
using MarketplaceMigration.Engine.Runs;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>Step 8: ping the marketplace through the restarted cluster in a fresh process and check it answers from the new location.</summary>
public sealed class SmokeTestStep : IMigrationStep
{
    /// <inheritdoc />
    public int Number => 8;

    /// <inheritdoc />
    public string Name => "smoke_test";

    /// <inheritdoc />
    public MigrationPhase Phase => MigrationPhase.Cutover;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"run '{context.Profile.SmokeCommand ?? "(no smoke command)"}' and check its seller count against {context.Target.Endpoint}";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var result = await SmokeTest.RunAsync(context.Profile, context.Target, context.Observer, cancellationToken).ConfigureAwait(false);
        outcome.Summary = result.Sellers.HasValue
            ? $"Ping answered {result.Sellers} seller(s), as the new location holds."
            : "Ping answered (no seller count reported).";
        outcome.Set("Sellers", result.Sellers?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not reported)");
    }
}
