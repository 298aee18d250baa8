namespace MarketplaceMigration.Engine.State;

/// <summary>The error a step failed with, as stored in the state file (no secret: messages never hold one).</summary>
public sealed class StepError
{
    /// <summary>The stable error id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The message, including the fix.</summary>
    public string Message { get; set; } = string.Empty;
}
