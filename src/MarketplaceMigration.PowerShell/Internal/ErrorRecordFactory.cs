using System;
using System.Management.Automation;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>The only place that maps an engine error kind to a PowerShell ErrorCategory.</summary>
public static class ErrorRecordFactory
{
    /// <summary>The category for an engine error kind.</summary>
    public static ErrorCategory Category(MigrationErrorKind kind) =>
        kind switch
        {
            MigrationErrorKind.InvalidInput => ErrorCategory.InvalidArgument,
            MigrationErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            MigrationErrorKind.TargetNotEmpty => ErrorCategory.ResourceExists,
            MigrationErrorKind.Connection => ErrorCategory.ConnectionError,
            MigrationErrorKind.Permission => ErrorCategory.PermissionDenied,
            MigrationErrorKind.PreflightFailed => ErrorCategory.InvalidOperation,
            MigrationErrorKind.VerificationFailed => ErrorCategory.InvalidResult,
            MigrationErrorKind.CheckpointIncompatible => ErrorCategory.InvalidData,
            MigrationErrorKind.Timeout => ErrorCategory.OperationTimeout,
            MigrationErrorKind.Canceled => ErrorCategory.OperationStopped,
            MigrationErrorKind.OwnershipAmbiguous => ErrorCategory.InvalidOperation,
            _ => ErrorCategory.NotSpecified,
        };

    /// <summary>An ErrorRecord for an engine error: its id, category, target and fix.</summary>
    public static ErrorRecord Create(MigrationException exception)
    {
        if (exception is null)
            throw new ArgumentNullException(nameof(exception));
        var record = new ErrorRecord(exception, exception.ErrorId, Category(exception.Kind), exception.Target);
        if (exception.Fix != null)
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.Fix };
        return record;
    }

    /// <summary>An ErrorRecord for a failure the engine did not anticipate.</summary>
    public static ErrorRecord Unexpected(Exception exception) => new(exception, ErrorIds.Unexpected, ErrorCategory.NotSpecified, null);
}
