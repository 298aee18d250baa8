using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Connections;

/// <summary>
/// Retries work that a server error of the passing kind interrupted: a deadlock (1213) or a lock wait
/// that timed out (1205), whose transaction the server rolled back whole. Bounded, with a growing pause,
/// and said on the verbose stream; the last failure is rethrown as it was.
/// </summary>
public static class Transient
{
    /// <summary>Tries in all.</summary>
    public const int Attempts = 5;

    /// <summary>Whether <paramref name="ex"/> is worth another try of the whole transaction.</summary>
    public static bool IsTransient(Exception ex) => ex is MySqlException m && m.Number is 1213 or 1205;

    /// <summary>Runs <paramref name="work"/> (one whole transaction), again after a transient failure.</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> work, string what, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (work is null) throw new ArgumentNullException(nameof(work));
        observer ??= NullRunObserver.Instance;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work().ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < Attempts && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                var pause = TimeSpan.FromMilliseconds(100 * attempt * attempt);
                observer.Verbose($"{what}: {ex.Message} (server error {((MySqlException)ex).Number}); the server rolled it back, trying again in {pause.TotalSeconds:0.0} s ({attempt}/{Attempts}).");
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
