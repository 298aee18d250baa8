using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>
/// Shopware caches system_config; after a direct row write the profile's <c>cacheClearCommand</c>
/// (when set) makes running PHP workers see it.
/// </summary>
public static class CacheInvalidation
{
    /// <summary>Runs the command, or does nothing when none is configured.</summary>
    public static async Task RunAsync(SystemConfigAccess access, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (access?.CacheClearCommand is not { Length: > 0 } command)
            return;
        var result = await ShellCommand
            .RunAsync(command, access.ShopwareRoot, access.CommandTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new MigrationException(
                ErrorIds.CacheClearFailed,
                MigrationErrorKind.Unspecified,
                command,
                $"The cache-invalidation command '{command}' "
                    + (result.TimedOut ? $"ran longer than {access.CommandTimeout.TotalSeconds} s" : $"exited with {result.ExitCode}")
                    + $": {result.Tail()}",
                "fix the command (cacheClearCommand in the profile) or the cause it prints, then rerun; the system_config row is already written."
            );
        }

        observer.Verbose($"Ran the cache-invalidation command '{command}' ({result.Seconds:0.0} s).");
    }
}
