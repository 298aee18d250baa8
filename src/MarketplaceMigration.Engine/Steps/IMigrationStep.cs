using System.Threading;
using System.Threading.Tasks;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// One of the ten steps. A step is resumable: it reads its progress from the state, works in
/// chunks where it can, records a checkpoint after each, and running a finished step again changes nothing.
/// </summary>
public interface IMigrationStep
{
    /// <summary>1 to 10.</summary>
    int Number { get; }

    /// <summary>The contract name (schema_check ... clear_maintenance).</summary>
    string Name { get; }

    /// <summary>
    /// Whether the step runs only behind the gate: the runner checks the gate is still set before it
    /// (lifted by hand, the copy would be stale). False for the steps before the gate is set (the checks,
    /// an online run's capture, live copy and catch-up), for the step that sets it and the one that lifts it.
    /// </summary>
    bool NeedsGate { get; }

    /// <summary>What the step would do in this run, for -WhatIf and -Confirm.</summary>
    string Describe(RunContext context);

    /// <summary>Does the step, filling in the outcome's summary and figures.</summary>
    Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken);
}
