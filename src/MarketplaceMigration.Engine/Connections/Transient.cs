using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Connections;

/// <summary>
/// Retries work that a server error of the passing kind interrupted: a deadlock (1213) or a lock wait
/// that timed out (1205), whose transaction the server rolled back whole (a copy's chunk, a replay's
/// batch: nothing of it was committed, so trying it again cannot duplicate a row). Bounded, with a growing pause,
/// and said on the verbose stream; the last failure is rethrown as it was.
/// </summary>
public static class Transient
{
    /// <summary>Tries in all.</summary>
    public const int Attempts = 5;

    /// <summary>Whether <paramref name="ex"/> (or what it wraps) is worth another try of the whole transaction.</summary>
    public static bool IsTransient(Exception ex) => Server(ex) is { Number: 1213 or 1205 };

    /// <summary>The server error behind <paramref name="ex"/>, if any.</summary>
    private static MySqlException? Server(Exception? ex)
    {
        for (; ex != null; ex = ex.InnerException)
            if (ex is MySqlException m)
                return m;
        return null;
    }

    /// <summary><see cref="RetryAsync{T}"/> with blocking waits (the copy's streaming thread).</summary>
    public static T Retry<T>(Func<T> work, string what, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        observer ??= NullRunObserver.Instance;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return work();
            }
            catch (Exception ex) when (attempt < Attempts && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                var pause = Pause(attempt);
                observer.Verbose(Said(what, ex, pause, attempt));
                if (cancellationToken.WaitHandle.WaitOne(pause))
                    throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    private static TimeSpan Pause(int attempt) => TimeSpan.FromMilliseconds(100 * attempt * attempt);

    private static string Said(string what, Exception ex, TimeSpan pause, int attempt) =>
        $"{what}: {Server(ex)!.Message} (server error {Server(ex)!.Number}); the server rolled it back, trying again in "
        + $"{pause.TotalSeconds:0.0} s ({attempt}/{Attempts}).";

    /// <summary>Runs <paramref name="work"/> (one whole transaction), again after a transient failure.</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> work, string what, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        observer ??= NullRunObserver.Instance;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work().ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < Attempts && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                var pause = Pause(attempt);
                observer.Verbose(Said(what, ex, pause, attempt));
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
