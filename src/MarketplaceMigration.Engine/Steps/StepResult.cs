using System;
using System.Collections.Generic;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.State;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>One step of a run, as Start-DataMigration emits it and Get-MigrationState shows it.</summary>
public sealed class StepResult
{
    /// <summary>Creates the result from the step's record.</summary>
    public StepResult(string runId, MigrationDirection direction, StepState step, bool executed, string? plan = null)
    {
        if (step is null)
            throw new ArgumentNullException(nameof(step));
        RunId = runId;
        Direction = direction;
        Number = step.Number;
        Step = step.Name;
        Status = step.Status;
        Executed = executed;
        Attempts = step.Attempts;
        StartedAt = step.StartedAt;
        DurationSeconds = step.DurationSeconds;
        Summary = plan ?? step.Summary;
        Details = new Dictionary<string, string>(step.Details);
        ErrorId = step.Error?.Id;
        Error = step.Error?.Message;
    }

    /// <summary>The run.</summary>
    public string RunId { get; }

    /// <summary>ToCluster or ToShopware.</summary>
    public MigrationDirection Direction { get; }

    /// <summary>1 to 10.</summary>
    public int Number { get; }

    /// <summary>The step's contract name.</summary>
    public string Step { get; }

    /// <summary>Pending, Running, Succeeded, Failed or Skipped.</summary>
    public StepStatus Status { get; }

    /// <summary>Whether it ran in this invocation (false: done by an earlier one, or only planned).</summary>
    public bool Executed { get; }

    /// <summary>How many times it was started across invocations.</summary>
    public int Attempts { get; }

    /// <summary>When its last attempt started.</summary>
    public DateTimeOffset? StartedAt { get; }

    /// <summary>How long its last attempt took.</summary>
    public double? DurationSeconds { get; }

    /// <summary>What it did (or, for -WhatIf, would do).</summary>
    public string? Summary { get; }

    /// <summary>Its figures: rows copied, tables verified, seconds until the port answered, ...</summary>
    public IReadOnlyDictionary<string, string> Details { get; }

    /// <summary>The error id when it failed.</summary>
    public string? ErrorId { get; }

    /// <summary>The error when it failed.</summary>
    public string? Error { get; }

    /// <summary>"5 integrity_check: Succeeded (1.2 s)": how a list of steps reads in Format-List.</summary>
    public override string ToString() =>
        $"{Number} {Step}: {Status}"
        + (
            DurationSeconds is { } seconds
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, " ({0:0.0} s)", seconds)
                : string.Empty
        );
}
