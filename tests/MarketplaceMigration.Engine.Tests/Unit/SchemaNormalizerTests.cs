using System.Collections.Generic;
using System.Linq;
using MarketplaceMigration.Engine.Schema;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>The MariaDB / MySQL 8 normalisation, from captured information_schema rows of both.</summary>
public sealed class SchemaNormalizerTests
{
    private static readonly string[] Tables = { "flyokai_capture_parent", "flyokai_capture" };
    private static readonly ServerFlavor MariaDb = new(ServerProduct.MariaDb, "10.11.19-MariaDB");
    private static readonly ServerFlavor MySql = new(ServerProduct.MySql, "8.4.3");

    private static IReadOnlyDictionary<string, TableDefinition> Maria() => SchemaNormalizer.Normalize(Captured.Load("mariadb-10.11.json"));

    private static IReadOnlyDictionary<string, TableDefinition> Oracle(System.Func<SchemaSnapshot, SchemaSnapshot>? change = null)
    {
        var snapshot = Captured.Load("mysql-8.4.json");
        return SchemaNormalizer.Normalize(change == null ? snapshot : change(snapshot));
    }

    private static SchemaSnapshot WithColumn(SchemaSnapshot s, string name, System.Func<ColumnRow, ColumnRow> change)
        => s with { Columns = s.Columns.Select(c => c.Table == "flyokai_capture" && c.Name == name ? change(c) : c).ToList() };

    [Fact]
    public void TheSameSchemaOnMariaDbAndMySql8HasNoDifferences()
    {
        Assert.Empty(SchemaComparer.Compare(Tables, Maria(), Oracle()));
    }

    [Fact]
    public void BothSpellingsNormaliseToTheSameCanonicalColumns()
    {
        foreach (var table in new[] { Maria()["flyokai_capture"], Oracle()["flyokai_capture"] })
        {
            var c = table.Columns.ToDictionary(x => x.Name);
            Assert.Equal("bigint unsigned", c["id"].Type.ToString());
            Assert.True(c["id"].AutoIncrement);
            Assert.Equal("json", c["payload"].Type.ToString());
            Assert.Null(c["payload"].Collation);
            Assert.Null(c["payload"].Default);
            Assert.Null(c["note"].Default);
            Assert.Equal("'it''s'", c["status"].Default);
            Assert.Equal("0.0000", c["amount"].Default);
            Assert.Equal("'a'", c["kind"].Default);
            Assert.Equal(new[] { "a", "b" }, c["kind"].Type.Values);
            Assert.Equal("b'101'", c["bits"].Default);
            Assert.Equal(3, c["bits"].Type.Length);
            Assert.Equal("current_timestamp(6)", c["created_at"].Default);
            Assert.Equal(6, c["created_at"].Type.FractionalSeconds);
            Assert.Equal("current_timestamp", c["updated_at"].OnUpdate);
            Assert.Equal(GeneratedKind.Virtual, c["total"].Generated);
            Assert.Equal("flag*2", c["total"].GenerationExpression);
            Assert.Equal("concat(status,'x')", c["label"].GenerationExpression);
            Assert.Null(c["ratio"].Type.Precision);
            Assert.Equal("`note`(10), `amount` DESC", table.Indexes.Single(i => i.Name == "idx_prefix").PartsText);
            Assert.Equal("RESTRICT", table.ForeignKeys.Single().OnUpdate);
            Assert.Equal("CASCADE", table.ForeignKeys.Single().OnDelete);
            Assert.Equal(new CheckDefinition("chk_amount", "amount>=0"), Assert.Single(table.Checks));
        }
    }

    [Fact]
    public void RealDriftIsStillSeenAcrossServers()
    {
        var mysql = Oracle(s => WithColumn(s, "status", c => c with { Default = "its" }));

        var difference = Assert.Single(SchemaComparer.Compare(Tables, Maria(), mysql));

        Assert.Equal(("flyokai_capture", "status", "Default", "'it''s'", "'its'"), (difference.Table, difference.Element, difference.Aspect, difference.ShopwareValue, difference.ClusterValue));
    }

    [Fact]
    public void MySqlDefaultCollationOnAUniqueColumnIsAnError()
    {
        var mysql = Oracle(s => s with
        {
            Columns = s.Columns.Select(c => c.Table == "flyokai_capture_parent" && c.Name == "code" ? c with { Collation = "utf8mb4_0900_ai_ci" } : c).ToList(),
        });

        var difference = Assert.Single(SchemaComparer.Compare(Tables, Maria(), mysql));

        Assert.Equal(("code", "Collation", DifferenceSeverity.Error), (difference.Element, difference.Aspect, difference.Severity));
        Assert.Contains("collide", difference.Message);
    }

    [Fact]
    public void MariaDbJsonWithoutItsCheckIsLongtext()
    {
        var snapshot = Captured.Load("mariadb-10.11.json");
        var withoutCheck = snapshot with { Checks = snapshot.Checks.Where(c => c.Name != "payload").ToList() };

        var difference = Assert.Single(SchemaComparer.Compare(Tables, SchemaNormalizer.Normalize(withoutCheck), Oracle()));

        Assert.Equal(("payload", "DataType", "longtext", "json"), (difference.Element, difference.Aspect, difference.ShopwareValue, difference.ClusterValue));
    }

    [Theory]
    [InlineData(ServerProduct.MariaDb, null, true, null)]
    [InlineData(ServerProduct.MariaDb, "NULL", true, null)]
    [InlineData(ServerProduct.MariaDb, "'NULL'", true, "'NULL'")]
    [InlineData(ServerProduct.MariaDb, "'a\\\\b'", false, "'a\\b'")]
    [InlineData(ServerProduct.MariaDb, "''", false, "''")]
    [InlineData(ServerProduct.MySql, null, true, null)]
    [InlineData(ServerProduct.MySql, "NULL", true, "'NULL'")]
    [InlineData(ServerProduct.MySql, "", false, "''")]
    [InlineData(ServerProduct.MySql, "a\\b", false, "'a\\b'")]
    public void StringDefaults(ServerProduct product, string? raw, bool nullable, string? canonical)
    {
        var row = new ColumnRow { Name = "c", DataType = "varchar", ColumnType = "varchar(10)", CharacterMaximumLength = 10, Nullable = nullable, Default = raw };

        Assert.Equal(canonical, SchemaNormalizer.Default(new ServerFlavor(product, "x"), row, SchemaNormalizer.Type(row, false)));
    }

    [Theory]
    [InlineData(ServerProduct.MariaDb, "current_timestamp()", "", "current_timestamp")]
    [InlineData(ServerProduct.MySql, "CURRENT_TIMESTAMP", "DEFAULT_GENERATED", "current_timestamp")]
    [InlineData(ServerProduct.MariaDb, "current_timestamp(3)", "", "current_timestamp(3)")]
    [InlineData(ServerProduct.MySql, "CURRENT_TIMESTAMP(3)", "DEFAULT_GENERATED", "current_timestamp(3)")]
    [InlineData(ServerProduct.MariaDb, "'2020-01-01 00:00:00'", "", "'2020-01-01 00:00:00'")]
    [InlineData(ServerProduct.MySql, "2020-01-01 00:00:00", "", "'2020-01-01 00:00:00'")]
    public void TemporalDefaults(ServerProduct product, string raw, string extra, string canonical)
    {
        var row = new ColumnRow { Name = "c", DataType = "datetime", ColumnType = "datetime", Default = raw, Extra = extra };

        Assert.Equal(canonical, SchemaNormalizer.Default(new ServerFlavor(product, "x"), row, SchemaNormalizer.Type(row, false)));
    }

    [Theory]
    [InlineData(ServerProduct.MySql, "(uuid())", "DEFAULT_GENERATED", "binary", "uuid()")]
    [InlineData(ServerProduct.MariaDb, "uuid()", "", "binary", "uuid()")]
    [InlineData(ServerProduct.MariaDb, "5", "", "int", "5")]
    [InlineData(ServerProduct.MariaDb, "'5'", "", "int", "5")]
    [InlineData(ServerProduct.MySql, "5", "", "int", "5")]
    [InlineData(ServerProduct.MySql, "-1e300", "", "double", "-1e300")]
    public void ExpressionAndNumericDefaults(ServerProduct product, string raw, string extra, string dataType, string canonical)
    {
        var row = new ColumnRow { Name = "c", DataType = dataType, ColumnType = dataType, Default = raw, Extra = extra };

        Assert.Equal(canonical, SchemaNormalizer.Default(new ServerFlavor(product, "x"), row, SchemaNormalizer.Type(row, false)));
    }

    [Theory]
    [InlineData("int", "int(11)", "int")]
    [InlineData("int", "int", "int")]
    [InlineData("int", "int(10) unsigned", "int unsigned")]
    [InlineData("int", "int unsigned zerofill", "int unsigned zerofill")]
    [InlineData("tinyint", "tinyint(1)", "tinyint")]
    [InlineData("year", "year(4)", "year")]
    [InlineData("float", "float", "float")]
    [InlineData("float", "float(7,4)", "float(7,4)")]
    [InlineData("set", "set('x','y''z')", "set('x','y'z')")]
    public void DisplayWidthsAreNotPartOfTheType(string dataType, string columnType, string canonical)
    {
        Assert.Equal(canonical, SchemaNormalizer.Type(new ColumnRow { DataType = dataType, ColumnType = columnType }, false).ToString());
    }

    [Theory]
    [InlineData("utf8", "utf8mb3")]
    [InlineData("utf8_general_ci", "utf8mb3_general_ci")]
    [InlineData("utf8mb3_general_ci", "utf8mb3_general_ci")]
    [InlineData("utf8mb4_0900_ai_ci", "utf8mb4_0900_ai_ci")]
    public void Utf8IsSpelledUtf8mb3(string name, string canonical)
    {
        Assert.Equal(canonical, SchemaNormalizer.CanonicalCharset(name));
    }

    [Fact]
    public void FlavorIsReadFromTheVersionString()
    {
        Assert.Equal(ServerProduct.MariaDb, ServerFlavor.FromVersion("10.11.19-MariaDB-0+deb12u1").Product);
        Assert.Equal(ServerProduct.MySql, ServerFlavor.FromVersion("8.4.3").Product);
        Assert.Equal(MariaDb.Product, ServerFlavor.FromVersion("11.4.2-MariaDB-log").Product);
        Assert.Equal(MySql.Product, ServerFlavor.FromVersion("8.0.36-0ubuntu0.22.04.1").Product);
    }
}
