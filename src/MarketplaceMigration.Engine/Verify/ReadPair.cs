using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>
/// A verification's two reading sessions, one per end, that can be opened again after an interrupted
/// link: a range (or a table's sample) is read-only, so it is simply tried again on fresh sessions.
/// </summary>
internal sealed class ReadPair : IDisposable
{
    private readonly ConnectionTarget _source;
    private readonly ConnectionTarget _target;
    private readonly int _statementSeconds;
    private readonly bool _syncWaitTarget;

    private ReadPair(ConnectionTarget source, ConnectionTarget target, int statementSeconds, bool syncWaitTarget)
    {
        (_source, _target, _statementSeconds, _syncWaitTarget) = (source, target, statementSeconds, syncWaitTarget);
    }

    /// <summary>The source's session.</summary>
    public MySqlConnection Source { get; private set; } = null!;

    /// <summary>The target's session.</summary>
    public MySqlConnection Target { get; private set; } = null!;

    /// <summary>
    /// Opens both sessions; each statement may take <paramref name="statementSeconds"/> (0: no limit); with
    /// <paramref name="syncWaitTarget"/> the target's reads wait for the Galera cluster's earlier write-sets.
    /// </summary>
    public static async Task<ReadPair> OpenAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        int statementSeconds,
        bool syncWaitTarget,
        CancellationToken cancellationToken
    )
    {
        var pair = new ReadPair(source, target, statementSeconds, syncWaitTarget);
        await Reconnecting
            .RunAsync(
                async () =>
                {
                    await pair.ReopenAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                },
                () => Task.CompletedTask,
                $"Opening the verification's sessions on {source.Endpoint} and {target.Endpoint}",
                _ => { },
                cancellationToken
            )
            .ConfigureAwait(false);
        return pair;
    }

    /// <summary>Runs read-only <paramref name="work"/>; after an interrupted link, again on fresh sessions.</summary>
    public Task<T> ReconnectingAsync<T>(Func<Task<T>> work, string what, Action<string> tell, CancellationToken cancellationToken) =>
        Reconnecting.RunAsync(work, () => ReopenAsync(cancellationToken), what, tell, cancellationToken);

    /// <summary>A teller for the verbose stream and progress under <paramref name="activity"/>.</summary>
    public static Action<string> Telling(IRunObserver observer, int activity, string activityName, string table) =>
        Reconnecting.Telling(
            observer,
            new ProgressUpdate
            {
                ActivityId = activity,
                Activity = activityName,
                Table = table,
            }
        );

    private async Task ReopenAsync(CancellationToken cancellationToken)
    {
        Dispose();
        Source = await TableSession.OpenReadAsync(_source, _statementSeconds, cancellationToken).ConfigureAwait(false);
        Target = await TableSession.OpenReadAsync(_target, _statementSeconds, cancellationToken).ConfigureAwait(false);
        if (_syncWaitTarget)
            await Galera.GaleraTopology.SyncReadsAsync(Target, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Source?.Dispose();
        Target?.Dispose();
    }
}
