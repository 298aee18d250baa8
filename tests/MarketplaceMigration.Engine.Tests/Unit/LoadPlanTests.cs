using System;
using System.Linq;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Schema;
using Xunit;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>How the target's LOAD DATA stores each field, planned from captured MariaDB 10.11 and MySQL 8.4 columns.</summary>
public sealed class LoadPlanTests
{
    private static TableLayout Layout(string capture) => TableLayout.From(SchemaNormalizer.Normalize(Captured.Load(capture))["flyokai_capture"]);

    private static Func<string, (string? Charset, string Type)?> TargetOf(string capture)
    {
        var columns = Captured.Load(capture).Columns.Where(c => c.Table == "flyokai_capture")
            .ToDictionary(c => c.Name, c => ((string?)SchemaNormalizer.CanonicalCharset(c.CharacterSet), c.DataType.ToLowerInvariant()), StringComparer.OrdinalIgnoreCase);
        return name => columns.TryGetValue(name, out var column) ? column : null;
    }

    [Fact]
    public void BetweenTwoMariaDbServersOnlyBitGoesThroughAVariable()
    {
        var plan = LoadPlan.For(Layout("mariadb-10.11.json"), TargetOf("mariadb-10.11.json"));

        Assert.Equal("`bits` = CAST(@c" + Index("mariadb-10.11.json", "bits") + " AS UNSIGNED)", Assert.Single(plan.Expressions));
        Assert.Contains("`payload`", plan.Columns);
        Assert.Contains("`note`", plan.Columns);
    }

    [Fact]
    public void IntoMySql8JsonArrivesAsUtf8mb4TextAndTheRestStraight()
    {
        var plan = LoadPlan.For(Layout("mariadb-10.11.json"), TargetOf("mysql-8.4.json"));

        // MySQL 8 refuses JSON from a binary string: the field is converted to the text it is.
        Assert.Contains("`payload` = CONVERT(@c" + Index("mariadb-10.11.json", "payload") + " USING utf8mb4)", plan.Expressions);
        Assert.Contains("`note`", plan.Columns);
        Assert.Equal(2, plan.Expressions.Count);
    }

    [Fact]
    public void FromMySql8JsonIsReadAsUtf8mb4Text()
    {
        var payload = Layout("mysql-8.4.json").Columns.Single(c => c.Name == "payload");

        Assert.Equal("CAST(CAST(`payload` AS CHAR CHARACTER SET utf8mb4) AS BINARY)", payload.TransportExpression);
        Assert.Equal("utf8mb4", payload.TransportCharset);
    }

    [Fact]
    public void TextInAnotherCharacterSetOnTheTargetIsConvertedFromTheSourcesOwn()
    {
        var plan = LoadPlan.For(Layout("mariadb-10.11.json"), name => name == "note" ? ("latin1", "varchar") : TargetOf("mariadb-10.11.json")(name));

        Assert.Contains("`note` = CONVERT(@c" + Index("mariadb-10.11.json", "note") + " USING utf8mb4)", plan.Expressions);
    }

    private static int Index(string capture, string column) => Layout(capture).Columns.Select(c => c.Name).ToList().IndexOf(column);
}
