using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Galera;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.Engine.Verify;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Integration;

/// <summary>
/// A connection lost while a Galera target's other node is compared with the node written through (catch_up's
/// comparison): the server that stopped answering is named, not the other one. Real servers; the lost one is reached
/// through a relay that is shut.
/// </summary>
public sealed class GaleraNodeLossTests
{
    private const string Ddl = "CREATE TABLE flyokai_seller (id INT PRIMARY KEY, v INT NOT NULL)";
    private const string Rows = "INSERT INTO flyokai_seller SELECT seq, seq FROM seq_1_to_2000";

    private static Task<System.Collections.Generic.IReadOnlyList<TableVerification>> Compare(ConnectionTarget written, ConnectionTarget node) =>
        DataVerifier.VerifyAsync(written, node, new[] { "flyokai_seller" }, new VerifySettings { Parallelism = 1 }, NullRunObserver.Instance,
            CancellationToken.None);

    /// <summary>
    /// The written node and another node, the one named by <paramref name="lost"/> reached through a relay that is shut
    /// before the comparison; then the comparison catch_up runs, through <see cref="IntegrityCheckStep.VerifyOtherNodeAsync"/>.
    /// </summary>
    private static async Task<(Exception Error, ConnectionTarget Node)> CompareLosingAsync(string lost)
    {
        var (written, other, _) = await TablePair.CreateAsync("flyokai_seller", Ddl, Rows, rowsOnBothEnds: true);
        await using var writtenDatabase = written;
        await using var otherDatabase = other;
        var relay = FaultProxy.Start(lost == "written" ? written.Server : other.Server);
        ConnectionTarget Reach(TestDatabase database, bool relayed) =>
            (relayed ? new TestDatabase(relay.Over(database.Server), database.Name) : database).AsTarget(EndpointRole.Cluster);
        var (writtenNode, node) = (Reach(written, lost == "written"), Reach(other, lost == "node"));
        await relay.DisposeAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            IntegrityCheckStep.VerifyOtherNodeAsync(GaleraTopology.Standalone(writtenNode), node, writtenNode, () => Compare(writtenNode, node),
                gateSet: false, CancellationToken.None));
        return (error, node);
    }

    [Fact]
    public async Task TheWrittenNodeLostIsNotBlamedOnTheOtherNode()
    {
        var (ex, node) = await CompareLosingAsync("written");   // the other node still answers
        Assert.False(ex is MigrationException { ErrorId: ErrorIds.GaleraNodeUnreachable }, "the node that answers was named: " + ex.Message);
        Assert.DoesNotContain($":{node.Endpoint.Port}", ex.Message);
    }

    [Fact]
    public async Task TheOtherNodeLostNamesItselfAndSaysTheGateIsNotSetYet()
    {
        var (ex, node) = await CompareLosingAsync("node");
        var error = Assert.IsType<MigrationException>(ex);
        Assert.Equal(ErrorIds.GaleraNodeUnreachable, error.ErrorId);
        Assert.Contains($"127.0.0.1:{node.Endpoint.Port}", error.Message);
        Assert.Contains("before the gate is set", error.Fix);
        Assert.DoesNotContain("the gate stays set", error.Fix);
    }
}
