using System;
using System.Linq;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Online;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>The online capture's plan and triggers from captured MariaDB 10.11 and MySQL 8.4 schemas, and its refusals.</summary>
public sealed class CapturePlanTests
{
    private static readonly string[] Both = { "flyokai_capture_parent", "flyokai_capture" };

    [Theory]
    [InlineData("mariadb-10.11.json")]
    [InlineData("mysql-8.4.json")]
    public void AParentWithACascadingChildLogsTheChildrenItWillDeleteBeforeItDeletes(string capture)
    {
        var plan = CapturePlan.From(Captured.Load(capture), Both);

        var parent = plan.Of("flyokai_capture_parent");
        var edge = Assert.Single(parent.Cascades);
        Assert.Equal(("flyokai_capture", true, false), (edge.Child, edge.OnDelete, edge.OnUpdate));
        var triggers = ChangeCapture.TriggerDdl(plan, parent);
        Assert.Equal(new[] { "_mm_flyokai_capture_parent_ai", "_mm_flyokai_capture_parent_au", "_mm_flyokai_capture_parent_ad", "_mm_flyokai_capture_parent_bd" }, triggers.Select(t => t.Name));
        var before = triggers.Single(t => t.Name.EndsWith("_bd", StringComparison.Ordinal)).Sql;
        Assert.Contains("BEFORE DELETE ON `flyokai_capture_parent`", before);
        Assert.Contains("INSERT INTO `_mm_chg_flyokai_capture` (`id`) SELECT c0.`id` FROM `flyokai_capture` c0 WHERE c0.`parent_id` = OLD.`id`", before);
        var update = triggers.Single(t => t.Name.EndsWith("_au", StringComparison.Ordinal)).Sql;
        Assert.Contains("IF NOT (OLD.`id` <=> NEW.`id`) THEN INSERT INTO `_mm_chg_flyokai_capture_parent` (`id`) VALUES (OLD.`id`)", update);

        // The changelog keeps the key in the source column's own type, character set and collation.
        var child = plan.Of("flyokai_capture");
        Assert.Empty(child.Cascades);
        Assert.Equal("bigint unsigned", Assert.Single(child.Key).ColumnType.Replace("(20)", string.Empty));
        Assert.Contains("`_mm_round` BIGINT UNSIGNED NOT NULL DEFAULT 0", ChangeCapture.ChangelogDdl(child));
        Assert.DoesNotContain(ChangeCapture.TriggerDdl(plan, child), t => t.Name.EndsWith("_bd", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mariadb-10.11.json")]
    [InlineData("mysql-8.4.json")]
    public void ACascadeFromATableOutsideTheListIsRefusedByName(string capture)
    {
        var ex = Assert.Throws<MigrationException>(() => CapturePlan.From(Captured.Load(capture), new[] { "flyokai_capture" }));

        Assert.Equal(ErrorIds.OnlineNotPossible, ex.ErrorId);
        Assert.Contains("fk_capture_parent", ex.Message);
        Assert.Contains("flyokai_capture_parent", ex.Fix);
    }

    [Fact]
    public void NamesOverSixtyFourCharactersStayUniqueAndWithinTheLimit()
    {
        var a = new string('a', 60) + "_one";
        var b = new string('a', 60) + "_two";

        Assert.All(new[] { CaptureNames.Changelog(a), CaptureNames.Trigger(a, "bd"), CaptureNames.Changelog(b) }, n => Assert.True(n.Length <= 64, n));
        Assert.NotEqual(CaptureNames.Changelog(a), CaptureNames.Changelog(b));
        Assert.Equal(CaptureNames.Changelog(a), CaptureNames.Changelog(a));
        Assert.Equal("_mm_chg_flyokai_seller", CaptureNames.Changelog("flyokai_seller"));
    }

    [Theory]
    [InlineData("10.11.9-MariaDB", new string[0], true, false, false, "log_bin_trust_function_creators")]
    [InlineData("8.4.3", new string[0], true, false, false, "log_bin_trust_function_creators")]
    [InlineData("10.1.48-MariaDB", new[] { "flyokai_seller" }, false, false, false, "one trigger per table")]
    [InlineData("5.7.1", new[] { "flyokai_seller" }, false, false, false, "one trigger per table")]
    public void TheServerSaysNoBeforeAnythingChanges(string version, string[] withTriggers, bool logBin, bool trusted, bool super, string reason)
    {
        var refusal = ChangeCapture.Refusal("src", version, withTriggers, logBin, trusted, super, galera: false);

        Assert.NotNull(refusal);
        Assert.Equal(ErrorIds.OnlineNotPossible, refusal!.ErrorId);
        Assert.Contains(reason, refusal.Message + refusal.Fix);
    }

    [Fact]
    public void AGaleraSourceIsRefusedWhateverElseItAllows()
    {
        var refusal = ChangeCapture.Refusal("src", "10.11.19-MariaDB-0+deb12u1", Array.Empty<string>(), false, false, true, galera: true);

        Assert.NotNull(refusal);
        Assert.Equal(ErrorIds.OnlineNotPossible, refusal!.ErrorId);
        Assert.Contains("Galera", refusal.Message);
        Assert.Contains("Nothing has changed yet", refusal.Message);
        Assert.Contains("without -Online", refusal.Fix);
    }

    [Theory]
    [InlineData("10.11.9-MariaDB", new[] { "flyokai_seller" }, true, true, false)]
    [InlineData("10.11.9-MariaDB", new string[0], true, false, true)]
    [InlineData("8.0.36", new[] { "flyokai_seller" }, false, false, false)]
    [InlineData("10.2.3-MariaDB", new[] { "flyokai_seller" }, false, false, false)]
    public void TheServerSaysYes(string version, string[] withTriggers, bool logBin, bool trusted, bool super)
        => Assert.Null(ChangeCapture.Refusal("src", version, withTriggers, logBin, trusted, super, galera: false));
}
