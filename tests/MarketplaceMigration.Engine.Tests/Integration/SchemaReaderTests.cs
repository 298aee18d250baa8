using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Schema;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Integration;

public sealed class SchemaReaderTests
{
    private static readonly string[] Tables = { "flyokai_capture_parent", "flyokai_capture" };

    [Fact]
    public async Task LiveMariaDbRowsEqualTheCapturedSnapshot()
    {
        var rig = await ServerRig.GetAsync();
        await using var db = await rig.Shopware.CreateDatabaseAsync();
        await db.ExecuteAsync(Captured.Sql);
        await using var connection = await db.OpenAsync();

        var snapshot = await SchemaReader.ReadAsync(connection, Tables, CancellationToken.None);

        if (snapshot.Flavor.Product != ServerProduct.MariaDb) return; // the capture is MariaDB's; a MySQL rig is covered by the normaliser tests
        if (Environment.GetEnvironmentVariable("MM_RECAPTURE") == "1")
        {
            File.WriteAllText(Path.Combine(Captured.SourceDirectory, "mariadb-10.11.json"), JsonSerializer.Serialize(snapshot with { Flavor = snapshot.Flavor with { Version = "10.11.19-MariaDB-0+deb12u1" } }, Captured.Json));
        }

        var captured = Captured.Load("mariadb-10.11.json");
        Assert.Equal(captured.Tables.OrderBy(t => t.Table), snapshot.Tables.OrderBy(t => t.Table));
        Assert.Equal(captured.Columns, snapshot.Columns);
        Assert.Equal(captured.Indexes, snapshot.Indexes);
        Assert.Equal(captured.ForeignKeys, snapshot.ForeignKeys);
        Assert.Equal(captured.Checks.OrderBy(c => c.Name), snapshot.Checks.OrderBy(c => c.Name));
    }

    [Fact]
    public async Task ReadsOnlyTheListedTables()
    {
        var rig = await ServerRig.GetAsync();
        await using var db = await rig.Cluster.CreateDatabaseAsync();
        await db.ExecuteAsync(Captured.Sql + "CREATE TABLE flyokai_other (id INT PRIMARY KEY);");
        await using var connection = await db.OpenAsync();

        var snapshot = await SchemaReader.ReadAsync(connection, new[] { "flyokai_capture_parent", "flyokai_missing" }, CancellationToken.None);

        Assert.Equal(new[] { "flyokai_capture_parent" }, snapshot.Tables.Select(t => t.Table));
        Assert.Equal(new[] { "id", "code" }, snapshot.Columns.Select(c => c.Name));
        Assert.Empty(snapshot.ForeignKeys);
    }
}
