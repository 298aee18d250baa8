using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Tables;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>The table workers: the failure that stopped the others is the one the caller sees.</summary>
public sealed class TableWorkersTests
{
    [Fact]
    public async Task TheFailureThatStoppedTheOthersIsRethrownNotOneTheirStoppingCaused()
    {
        // Worker 0 waits on its table until it is stopped, then fails with an error of its own (as a statement killed
        // mid-flight fails with the server's "interrupted"); worker 1's table fails first, for real.
        var items = new[] { "waits", "fails" };
        Task<int> Work(string item, int index, CancellationToken token) =>
            item == "fails"
                ? Task.Run<int>(async () =>
                {
                    await Task.Delay(100, CancellationToken.None);
                    throw new InvalidOperationException("the target refused the rows");
                }, CancellationToken.None)
                : Task.Run<int>(async () =>
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, token);
                    }
                    catch (OperationCanceledException)
                    {
                        throw new TimeoutException("Query execution was interrupted");
                    }

                    return 0;
                }, CancellationToken.None);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => TableWorkers.RunAsync(items, new[] { 0, 1 }, 2, Work, CancellationToken.None));

        Assert.IsType<InvalidOperationException>(thrown);
        Assert.Equal("the target refused the rows", thrown.Message);
    }

    [Fact]
    public async Task ACancellationFromTheCallerIsACancellation()
    {
        using var stop = new CancellationTokenSource(100);
        var items = new[] { "a", "b" };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TableWorkers.RunAsync(items, new[] { 0, 1 }, 2,
            async (_, _, token) => { await Task.Delay(Timeout.Infinite, token); return 0; }, stop.Token));
    }
}
