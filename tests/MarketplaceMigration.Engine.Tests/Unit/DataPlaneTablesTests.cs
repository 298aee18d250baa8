using System.Linq;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Errors;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

public sealed class DataPlaneTablesTests
{
    [Fact]
    public void TheDefaultIsTheDocumented22WithoutTheIdentityPlane()
    {
        Assert.Equal(22, DataPlaneTables.Default.Count);
        Assert.Equal(22, DataPlaneTables.Default.Distinct().Count());
        Assert.DoesNotContain("flyokai_user", DataPlaneTables.Default);
        Assert.All(DataPlaneTables.Default, t => Assert.Null(DataPlaneTables.IdentityPlaneReason(t)));
        Assert.Contains("flyokai_mail_pending_send", DataPlaneTables.Default);
    }

    [Theory]
    [InlineData("flyokai_user", "identity plane")]
    [InlineData("FLYOKAI_USER", "identity plane")]
    [InlineData("flyokai_oauth_client", "OAuth")]
    [InlineData("flyok_acl_role", "cluster's own bootstrap tables")]
    [InlineData("product", "not a flyokai_* marketplace table")]
    [InlineData("flyokai seller", "not a table name")]
    [InlineData("flyokai_`x", "not a table name")]
    public void RefusesTablesThatMustNeverMove(string table, string reason)
    {
        var error = Assert.Throws<MigrationException>(() => DataPlaneTables.Validate(new[] { "flyokai_seller", table }, "-Table"));

        Assert.Equal(ErrorIds.TableListInvalid, error.ErrorId);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void RefusesAnEmptyListAndDuplicates()
    {
        Assert.Equal(ErrorIds.TableListInvalid, Assert.Throws<MigrationException>(() => DataPlaneTables.Validate(new string[0], "-Table")).ErrorId);
        Assert.Contains("twice", Assert.Throws<MigrationException>(() => DataPlaneTables.Validate(new[] { "flyokai_mail", "Flyokai_Mail" }, "-Table")).Message);
    }
}
