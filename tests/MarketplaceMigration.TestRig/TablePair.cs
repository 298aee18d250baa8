using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.TestRig;

/// <summary>One data-plane table on a fresh source database and a fresh target database of the shared servers.</summary>
public static class TablePair
{
    /// <summary>
    /// Creates <paramref name="table"/> with <paramref name="ddl"/> on both ends (<paramref name="targetDdl"/>
    /// on the target when given), inserts <paramref name="rows"/> (a statement, or empty) on the source and,
    /// when <paramref name="rowsOnBothEnds"/>, on the target too; returns both databases (the caller disposes
    /// them) and the source's layout of the table.
    /// </summary>
    public static async Task<(TestDatabase Source, TestDatabase Target, TableLayout Layout)> CreateAsync(string table, string ddl, string rows,
        string? targetDdl = null, bool rowsOnBothEnds = false)
    {
        var rig = await ServerRig.GetAsync();
        var source = await rig.Shopware.CreateDatabaseAsync();
        var target = await rig.Cluster.CreateDatabaseAsync();
        await source.ExecuteAsync(ddl);
        await target.ExecuteAsync(targetDdl ?? ddl);
        if (rows.Length > 0) await source.ExecuteAsync(rows);
        if (rows.Length > 0 && rowsOnBothEnds) await target.ExecuteAsync(rows);
        var layout = (await LayoutReader.ReadAsync(source.AsTarget(EndpointRole.Shopware), new[] { table }, CancellationToken.None)).Single();
        return (source, target, layout);
    }
}
