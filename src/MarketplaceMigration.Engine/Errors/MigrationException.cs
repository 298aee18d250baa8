using System;

namespace MarketplaceMigration.Engine.Errors;

/// <summary>
/// The one exception type the engine throws on purpose. It carries a stable <see cref="ErrorId"/>
/// (a PascalCase condition name shared across cmdlets), a <see cref="Kind"/>, the failing
/// <see cref="Target"/> and the fix. Messages name things, never secret values.
/// </summary>
public class MigrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorId">Stable condition name, e.g. <c>ClusterConfigNotFound</c>.</param>
    /// <param name="kind">The failure family.</param>
    /// <param name="target">What failed: a file path, a table, an endpoint, a step name.</param>
    /// <param name="message">What happened, naming the thing.</param>
    /// <param name="fix">What the operator should do about it.</param>
    /// <param name="innerException">The cause, kept for diagnostics.</param>
    public MigrationException(
        string errorId,
        MigrationErrorKind kind,
        string? target,
        string message,
        string? fix = null,
        Exception? innerException = null
    )
        : base(Compose(message, fix), innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
        Reason = message;
        Fix = fix;
    }

    /// <summary>What happened, without the fix.</summary>
    public string Reason { get; }

    /// <summary>Stable condition name used as the PowerShell error id.</summary>
    public string ErrorId { get; }

    /// <summary>The failure family.</summary>
    public MigrationErrorKind Kind { get; }

    /// <summary>The failing object: a file path, a table, an endpoint, a step name.</summary>
    public string? Target { get; }

    /// <summary>What the operator should do, also part of <see cref="Exception.Message"/>.</summary>
    public string? Fix { get; }

    private static string Compose(string message, string? fix) => string.IsNullOrEmpty(fix) ? message : message + " Fix: " + fix;
}
