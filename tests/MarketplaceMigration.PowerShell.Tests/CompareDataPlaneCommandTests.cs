using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Verify;
using MarketplaceMigration.TestRig;
using Xunit;

namespace MarketplaceMigration.PowerShell.Tests;

public sealed class CompareDataPlaneCommandTests
{
    [Fact]
    public async Task FindsEachInjectedDifferenceKindAndNothingOnEqualData()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.WithClusterAsync(sellers: 12, typeProbe: true);
        var vars = new Dictionary<string, object?> { ["root"] = site.Root, ["profile"] = site.ProfilePath };
        PsHost.Invoke("Set-MaintenanceGate -ShopwareRoot $root -ProfilePath $profile -Force; Copy-DataPlane -To Cluster -ShopwareRoot $root -ProfilePath $profile -Confirm:$false", vars).AssertNoErrors();

        Assert.Empty(PsHost.Invoke("Compare-DataPlane -ShopwareRoot $root -ProfilePath $profile", vars).AssertNoErrors().Output);

        var deleted = System.Convert.ToHexString((byte[])(await site.Cluster.ScalarAsync("SELECT id FROM flyokai_seller_offer ORDER BY id LIMIT 1 OFFSET 5"))!);
        var changed = System.Convert.ToHexString((byte[])(await site.Cluster.ScalarAsync("SELECT id FROM flyokai_zz_type_probe ORDER BY id, seq LIMIT 1 OFFSET 10"))!);
        await site.Cluster.ExecuteAsync($"SET foreign_key_checks = 0; DELETE FROM flyokai_seller_offer WHERE id = UNHEX('{deleted}');"
            + $"UPDATE flyokai_zz_type_probe SET json_value = JSON_SET(COALESCE(json_value, '{{}}'), '$.extra', 1) WHERE id = UNHEX('{changed}');"
            + "INSERT INTO flyokai_chain (id, sender_user_id, recipient_user_id, subject, created_at) VALUES (UNHEX('FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'), UNHEX('01'), UNHEX('02'), 'extra', NOW())");

        var run = PsHost.Invoke("Test-DataIntegrity -ShopwareRoot $root -ProfilePath $profile | Where-Object { -not $_.Equal } | Compare-DataPlane -ShopwareRoot $root -ProfilePath $profile", vars).AssertNoErrors();

        var differences = run.Objects<RowDifference>().OrderBy(d => d.Table).ToList();
        Assert.Equal(3, differences.Count);
        Assert.Equal(("flyokai_chain", RowDifferenceKind.ExtraInTarget, "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"), (differences[0].Table, differences[0].Kind, differences[0].Key));
        Assert.Equal(("flyokai_seller_offer", RowDifferenceKind.MissingInTarget, "0x" + deleted), (differences[1].Table, differences[1].Kind, differences[1].Key));
        Assert.Equal(("flyokai_zz_type_probe", RowDifferenceKind.Different), (differences[2].Table, differences[2].Kind));
        Assert.StartsWith("0x" + changed + ", ", differences[2].Key);
    }
}
