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

    private static ConnectionTarget Through(FaultProxy relay, TestDatabase database, EndpointRole role) =>
        new TestDatabase(relay.Over(database.Server), database.Name).AsTarget(role);

    [Fact]
    public async Task TheWrittenNodeLostIsNotBlamedOnTheOtherNode()
    {
        var (written, other, _) = await TablePair.CreateAsync("flyokai_seller", Ddl, Rows, rowsOnBothEnds: true);
        await using var writtenDatabase = written;
        await using var otherDatabase = other;
        var relay = FaultProxy.Start(written.Server);
        var writtenNode = Through(relay, written, EndpointRole.Cluster);
        var node = other.AsTarget(EndpointRole.Cluster);
        var topology = GaleraTopology.Standalone(writtenNode);
        await relay.DisposeAsync();   // the written node goes away; the other node still answers

        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            IntegrityCheckStep.VerifyOtherNodeAsync(topology, node, writtenNode, () => Compare(writtenNode, node), gateSet: false, CancellationToken.None));
        Assert.False(ex is MigrationException { ErrorId: ErrorIds.GaleraNodeUnreachable }, "the node that answers was named: " + ex.Message);
        Assert.DoesNotContain($":{node.Endpoint.Port}", ex.Message);
    }

    [Fact]
    public async Task TheOtherNodeLostNamesItselfAndSaysTheGateIsNotSetYet()
    {
        var (written, other, _) = await TablePair.CreateAsync("flyokai_seller", Ddl, Rows, rowsOnBothEnds: true);
        await using var writtenDatabase = written;
        await using var otherDatabase = other;
        var relay = FaultProxy.Start(other.Server);
        var writtenNode = written.AsTarget(EndpointRole.Cluster);
        var node = Through(relay, other, EndpointRole.Cluster);
        var topology = GaleraTopology.Standalone(writtenNode);
        await relay.DisposeAsync();

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            IntegrityCheckStep.VerifyOtherNodeAsync(topology, node, writtenNode, () => Compare(writtenNode, node), gateSet: false, CancellationToken.None));
        Assert.Equal(ErrorIds.GaleraNodeUnreachable, ex.ErrorId);
        Assert.Contains($"127.0.0.1:{relay.Port}", ex.Message);
        Assert.Contains("before the gate is set", ex.Fix);
        Assert.DoesNotContain("the gate stays set", ex.Fix);
    }
}
