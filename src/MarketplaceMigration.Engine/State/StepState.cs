using System;
using System.Collections.Generic;

namespace MarketplaceMigration.Engine.State;

/// <summary>One step's record in the state file.</summary>
public sealed class StepState
{
    /// <summary>1 to 10.</summary>
    public int Number { get; set; }

    /// <summary>The contract name, e.g. <c>schema_check</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Status.</summary>
    public StepStatus Status { get; set; }

    /// <summary>How many times the step was started (a resume that re-executes a step increments it).</summary>
    public int Attempts { get; set; }

    /// <summary>When the last attempt started (UTC).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it finished (UTC).</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Seconds the last attempt took.</summary>
    public double? DurationSeconds { get; set; }

    /// <summary>What it did, in one line.</summary>
    public string? Summary { get; set; }

    /// <summary>What it did, as figures (rows copied, tables verified, seconds until the port answered, ...).</summary>
    public Dictionary<string, string> Details { get; set; } = new();

    /// <summary>Why it failed, when it did.</summary>
    public StepError? Error { get; set; }
}
