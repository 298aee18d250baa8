using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Connections;

/// <summary>
/// Tries idempotent work again on fresh sessions when the link under it failed: the connection was
/// lost (a reset, a server gone away: <see cref="ConnectionLoss"/>) or a statement ran past its timeout
/// (a stalled link). Before each new try the caller reopens its sessions, and undoes what an interrupted
/// try may have left (a copy removes the target rows after its last recorded chunk: a chunk whose COMMIT
/// was cut off may or may not have committed). Bounded, with a growing pause, and said on the verbose
/// stream and in progress; when the tries are spent the last failure is rethrown as it was (the runner
/// names the server that went away: ServerLost).
/// </summary>
public static class Reconnecting
{
    /// <summary>Tries in all.</summary>
    public const int Attempts = 6;

    private const string Spent = "MarketplaceMigration.Reconnecting.Spent";

    /// <summary>
    /// Whether <paramref name="ex"/> is an interrupted link (a lost connection, a statement timeout) that no
    /// inner retry has already tried again until its tries were spent: retries do not nest.
    /// </summary>
    /// <remarks>
    /// A statement the server reports killed (1317, "Query execution was interrupted") counts as a timeout: a timed-out
    /// statement ends that way, and MySqlConnector names it a timeout only when its own timer fired on that very command.
    /// Seen once in CI (NetworkFaultTests, a 6 s stall in a chunk with 2 s statement timeouts): the step failed with the bare
    /// 1317 instead of the timeout, most likely from the chunk's source reader, killed as well while the stalled load held
    /// it, thrown as it was disposed. A statement an operator kills is tried again the same way, a bounded number of times.
    /// </remarks>
    public static bool IsInterrupted(Exception? ex)
    {
        if (ex?.Data[Spent] is true)
            return false;
        if (ConnectionLoss.Is(ex))
            return true;
        for (; ex != null; ex = ex.InnerException)
        {
            if (
                ex
                is MySqlException { ErrorCode: MySqlErrorCode.CommandTimeoutExpired or MySqlErrorCode.QueryInterrupted }
                    or TimeoutException
            )
                return true;
        }

        return false;
    }

    /// <summary>The pause before try <paramref name="attempt"/> + 1: 0.5, 1, 2, 4, 8 s (a server restarting may take seconds).</summary>
    public static TimeSpan Pause(int attempt) => TimeSpan.FromMilliseconds(500 * (1 << Math.Min(attempt - 1, 4)));

    /// <summary>Runs <paramref name="work"/>; after an interrupted link, pauses, calls <paramref name="reopen"/> and tries again.</summary>
    /// <param name="work">Idempotent work on the caller's sessions.</param>
    /// <param name="reopen">Opens fresh sessions (and undoes what an interrupted try may have left); may itself fail the same way.</param>
    /// <param name="what">What is tried, for the messages.</param>
    /// <param name="tell">Where the messages go (verbose and progress).</param>
    /// <param name="cancellationToken">Stops the waiting and the work.</param>
    public static T Run<T>(Func<T> work, Action reopen, string what, Action<string> tell, CancellationToken cancellationToken)
    {
        if (work is null || reopen is null || tell is null)
            throw new ArgumentNullException(
                work is null ? nameof(work)
                : reopen is null ? nameof(reopen)
                : nameof(tell)
            );
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1)
                    reopen();
                return work();
            }
            catch (Exception ex) when (IsInterrupted(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= Attempts)
                {
                    ex.Data[Spent] = true;
                    throw;
                }

                var pause = Pause(attempt);
                tell(Said(what, ex, pause, attempt));
                if (cancellationToken.WaitHandle.WaitOne(pause))
                    throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    /// <summary><see cref="Run{T}"/> for asynchronous work.</summary>
    public static async Task<T> RunAsync<T>(
        Func<Task<T>> work,
        Func<Task> reopen,
        string what,
        Action<string> tell,
        CancellationToken cancellationToken
    )
    {
        if (work is null || reopen is null || tell is null)
            throw new ArgumentNullException(
                work is null ? nameof(work)
                : reopen is null ? nameof(reopen)
                : nameof(tell)
            );
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1)
                    await reopen().ConfigureAwait(false);
                return await work().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsInterrupted(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= Attempts)
                {
                    ex.Data[Spent] = true;
                    throw;
                }

                var pause = Pause(attempt);
                tell(Said(what, ex, pause, attempt));
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A teller that writes to the verbose stream and, as a note on <paramref name="progress"/>, to progress.</summary>
    public static Action<string> Telling(IRunObserver observer, ProgressUpdate? progress = null) =>
        message =>
        {
            observer?.Verbose(message);
            if (progress != null)
                observer?.Progress(progress with { Note = message });
        };

    private static string Said(string what, Exception ex, TimeSpan pause, int attempt) =>
        $"{what}: the link to the server was interrupted ({Innermost(ex).Message}); reconnecting and trying again in "
        + $"{pause.TotalSeconds:0.0} s ({attempt}/{Attempts - 1}).";

    private static Exception Innermost(Exception ex)
    {
        for (var e = ex; e != null; e = e.InnerException)
        {
            if (e is MySqlException or System.IO.IOException or System.Net.Sockets.SocketException)
                return e;
        }

        return ex;
    }
}
