using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Schema;
using MarketplaceMigration.TestRig;
using Xunit;
using static MarketplaceMigration.Engine.Schema.DifferenceSeverity;
using static MarketplaceMigration.Engine.Schema.SchemaElementKind;

namespace MarketplaceMigration.PowerShell.Tests;

public sealed class TestSchemaParityCommandTests
{
    private const string Options = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

    public sealed record Expected(string Table, SchemaElementKind Kind, string? Element, string Aspect, string? ShopwareValue, string? ClusterValue, DifferenceSeverity Severity)
    {
        public static Expected Of(SchemaDifference d) => new(d.Table, d.Kind, d.Element, d.Aspect, d.ShopwareValue, d.ClusterValue, d.Severity);
    }

    private static string T(string body, string name = "flyokai_t", string options = Options) => $"CREATE TABLE {name} ({body}){options}";

    private const string Parent = "CREATE TABLE flyokai_p (id BINARY(16) NOT NULL, code VARCHAR(64) NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_p_code (code))" + Options + ";";

    public static TheoryData<string, string, string, Expected[]> Drifts() => new()
    {
        {
            "column missing on the cluster",
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, note VARCHAR(50) NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "note", "Presence", "present", "missing", Error) }
        },
        {
            "extra column on the cluster",
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, legacy_flag TINYINT(1) NOT NULL DEFAULT 0, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "legacy_flag", "Presence", "missing", "present", Error) }
        },
        {
            "varchar length",
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, name VARCHAR(191) NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "name", "Length", "255", "191", Error) }
        },
        {
            "decimal precision",
            T("id INT NOT NULL, amount DECIMAL(12,4) NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, amount DECIMAL(14,4) NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "amount", "Precision", "12", "14", Error) }
        },
        {
            "decimal scale",
            T("id INT NOT NULL, amount DECIMAL(12,4) NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, amount DECIMAL(12,2) NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "amount", "Scale", "4", "2", Error) }
        },
        {
            "unsigned",
            T("id INT NOT NULL, quantity INT UNSIGNED NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, quantity INT NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "quantity", "Unsigned", "yes", "no", Error) }
        },
        {
            "base type",
            T("id INT NOT NULL, stock INT NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, stock BIGINT NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "stock", "DataType", "int", "bigint", Error) }
        },
        {
            "json against longtext",
            T("id INT NOT NULL, payload JSON NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, payload LONGTEXT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "payload", "DataType", "json", "longtext", Error) }
        },
        {
            "fractional seconds",
            T("id INT NOT NULL, created_at DATETIME(3) NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "created_at", "FractionalSeconds", "3", "0", Error) }
        },
        {
            "enum members",
            T("id INT NOT NULL, status ENUM('open','closed') NOT NULL DEFAULT 'open', PRIMARY KEY (id)"),
            T("id INT NOT NULL, status ENUM('open','closed','paid') NOT NULL DEFAULT 'open', PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "status", "Values", "'open','closed'", "'open','closed','paid'", Error) }
        },
        {
            "nullability",
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, name VARCHAR(255) NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "name", "Nullable", "no", "yes", Error) }
        },
        {
            "default",
            T("id INT NOT NULL, status VARCHAR(64) NOT NULL DEFAULT 'active', PRIMARY KEY (id)"),
            T("id INT NOT NULL, status VARCHAR(64) NOT NULL DEFAULT 'draft', PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "status", "Default", "'active'", "'draft'", Error) }
        },
        {
            "on update",
            T("id INT NOT NULL, changed_at TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (id)"),
            T("id INT NOT NULL, changed_at TIMESTAMP NULL DEFAULT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "changed_at", "OnUpdate", "current_timestamp", null, Error) }
        },
        {
            "auto_increment",
            T("id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)"),
            T("id BIGINT UNSIGNED NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "id", "AutoIncrement", "yes", "no", Error) }
        },
        {
            "generated against stored column",
            T("id INT NOT NULL, qty INT NOT NULL, double_qty INT AS (qty * 2) STORED, PRIMARY KEY (id)"),
            T("id INT NOT NULL, qty INT NOT NULL, double_qty INT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "double_qty", "Generated", "Stored", "None", Error) }
        },
        {
            "generation expression",
            T("id INT NOT NULL, qty INT NOT NULL, total INT AS (qty * 2) VIRTUAL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, qty INT NOT NULL, total INT AS (qty * 3) VIRTUAL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "total", "GenerationExpression", "qty*2", "qty*3", Error) }
        },
        {
            "primary key columns",
            T("id INT NOT NULL, seller INT NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, seller INT NOT NULL, PRIMARY KEY (id, seller)"),
            new[] { new Expected("flyokai_t", PrimaryKey, "PRIMARY", "Columns", "`id`", "`id`, `seller`", Error) }
        },
        {
            "unique key missing on the cluster",
            T("id INT NOT NULL, slug VARCHAR(100) NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_slug (slug)"),
            T("id INT NOT NULL, slug VARCHAR(100) NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Index, "uniq_slug", "Presence", "present", "missing", Error) }
        },
        {
            "unique against non-unique index",
            T("id INT NOT NULL, slug VARCHAR(100) NOT NULL, PRIMARY KEY (id), UNIQUE KEY idx_slug (slug)"),
            T("id INT NOT NULL, slug VARCHAR(100) NOT NULL, PRIMARY KEY (id), KEY idx_slug (slug)"),
            new[] { new Expected("flyokai_t", Index, "idx_slug", "Unique", "yes", "no", Error) }
        },
        {
            "secondary index column order",
            T("id INT NOT NULL, a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (id), KEY idx_ab (a, b)"),
            T("id INT NOT NULL, a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (id), KEY idx_ab (b, a)"),
            new[] { new Expected("flyokai_t", Index, "idx_ab", "Columns", "`a`, `b`", "`b`, `a`", Error) }
        },
        {
            "index prefix length",
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY (id), KEY idx_name (name(10))"),
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY (id), KEY idx_name (name(20))"),
            new[] { new Expected("flyokai_t", Index, "idx_name", "Columns", "`name`(10)", "`name`(20)", Error) }
        },
        {
            "index order",
            T("id INT NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id), KEY idx_created (created_at DESC)"),
            T("id INT NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id), KEY idx_created (created_at)"),
            new[] { new Expected("flyokai_t", Index, "idx_created", "Columns", "`created_at` DESC", "`created_at`", Error) }
        },
        {
            "index renamed",
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY (id), KEY idx_name (name)"),
            T("id INT NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY (id), KEY idx_t_name (name)"),
            new[] { new Expected("flyokai_t", Index, "idx_name", "Name", "idx_name", "idx_t_name", Warning) }
        },
        {
            "foreign key missing on the cluster",
            Parent + T("id INT NOT NULL, pid BINARY(16) NOT NULL, PRIMARY KEY (id), KEY idx_pid (pid), CONSTRAINT fk_t_p FOREIGN KEY (pid) REFERENCES flyokai_p (id)"),
            Parent + T("id INT NOT NULL, pid BINARY(16) NOT NULL, PRIMARY KEY (id), KEY idx_pid (pid)"),
            new[] { new Expected("flyokai_t", ForeignKey, "fk_t_p", "Presence", "present", "missing", Error) }
        },
        {
            "foreign key delete rule",
            Parent + T("id INT NOT NULL, pid BINARY(16) NOT NULL, PRIMARY KEY (id), KEY idx_pid (pid), CONSTRAINT fk_t_p FOREIGN KEY (pid) REFERENCES flyokai_p (id) ON DELETE CASCADE"),
            Parent + T("id INT NOT NULL, pid BINARY(16) NOT NULL, PRIMARY KEY (id), KEY idx_pid (pid), CONSTRAINT fk_t_p FOREIGN KEY (pid) REFERENCES flyokai_p (id) ON DELETE RESTRICT"),
            new[] { new Expected("flyokai_t", ForeignKey, "fk_t_p", "OnDelete", "CASCADE", "RESTRICT", Error) }
        },
        {
            "foreign key update rule",
            Parent + T("id INT NOT NULL, pid BINARY(16) NOT NULL, PRIMARY KEY (id), KEY idx_pid (pid), CONSTRAINT fk_t_p FOREIGN KEY (pid) REFERENCES flyokai_p (id) ON UPDATE CASCADE"),
            Parent + T("id INT NOT NULL, pid BINARY(16) NOT NULL, PRIMARY KEY (id), KEY idx_pid (pid), CONSTRAINT fk_t_p FOREIGN KEY (pid) REFERENCES flyokai_p (id)"),
            new[] { new Expected("flyokai_t", ForeignKey, "fk_t_p", "OnUpdate", "CASCADE", "RESTRICT", Error) }
        },
        {
            "foreign key referenced columns",
            Parent + T("id INT NOT NULL, pcode VARCHAR(64) NOT NULL, PRIMARY KEY (id), KEY idx_pcode (pcode), CONSTRAINT fk_t_p FOREIGN KEY (pcode) REFERENCES flyokai_p (code)"),
            "CREATE TABLE flyokai_p (id BINARY(16) NOT NULL, code VARCHAR(64) NOT NULL, alt VARCHAR(64) NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_p_code (code), UNIQUE KEY uniq_p_alt (alt))" + Options + ";"
                + T("id INT NOT NULL, pcode VARCHAR(64) NOT NULL, PRIMARY KEY (id), KEY idx_pcode (pcode), CONSTRAINT fk_t_p FOREIGN KEY (pcode) REFERENCES flyokai_p (alt)"),
            new[] { new Expected("flyokai_t", ForeignKey, "fk_t_p", "ReferencedColumns", "`code`", "`alt`", Error) }
        },
        {
            "foreign key referenced table",
            Parent + T("id INT NOT NULL, pid BINARY(16) NOT NULL, PRIMARY KEY (id), KEY idx_pid (pid), CONSTRAINT fk_t_p FOREIGN KEY (pid) REFERENCES flyokai_p (id)"),
            Parent + "CREATE TABLE flyokai_q (id BINARY(16) NOT NULL, PRIMARY KEY (id))" + Options + ";"
                + T("id INT NOT NULL, pid BINARY(16) NOT NULL, PRIMARY KEY (id), KEY idx_pid (pid), CONSTRAINT fk_t_p FOREIGN KEY (pid) REFERENCES flyokai_q (id)"),
            new[] { new Expected("flyokai_t", ForeignKey, "fk_t_p", "ReferencedTable", "flyokai_p", "flyokai_q", Error) }
        },
        {
            "collation of an ordinary column warns",
            T("id INT NOT NULL, note VARCHAR(100) COLLATE utf8mb4_unicode_ci NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, note VARCHAR(100) COLLATE utf8mb4_general_ci NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Column, "note", "Collation", "utf8mb4_unicode_ci", "utf8mb4_general_ci", Warning) }
        },
        {
            "collation of a unique-key column is an error",
            T("id INT NOT NULL, code VARCHAR(64) COLLATE utf8mb4_unicode_ci NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_code (code)"),
            T("id INT NOT NULL, code VARCHAR(64) COLLATE utf8mb4_bin NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_code (code)"),
            new[] { new Expected("flyokai_t", Column, "code", "Collation", "utf8mb4_unicode_ci", "utf8mb4_bin", Error) }
        },
        {
            "charset",
            T("id INT NOT NULL, note VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, note VARCHAR(100) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NULL, PRIMARY KEY (id)"),
            new[]
            {
                new Expected("flyokai_t", Column, "note", "Charset", "utf8mb4", "utf8mb3", Warning),
                new Expected("flyokai_t", Column, "note", "Collation", "utf8mb4_general_ci", "utf8mb3_general_ci", Warning),
            }
        },
        {
            "storage engine",
            T("id INT NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, PRIMARY KEY (id)", options: " ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"),
            new[] { new Expected("flyokai_t", Table, null, "Engine", "InnoDB", "MyISAM", Error) }
        },
        {
            "table default collation",
            T("id INT NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, PRIMARY KEY (id)", options: " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"),
            new[] { new Expected("flyokai_t", Table, null, "DefaultCollation", "utf8mb4_unicode_ci", "utf8mb4_general_ci", Warning) }
        },
        {
            "check constraint",
            T("id INT NOT NULL, qty INT NOT NULL, PRIMARY KEY (id), CONSTRAINT chk_qty CHECK (qty >= 0)"),
            T("id INT NOT NULL, qty INT NOT NULL, PRIMARY KEY (id)"),
            new[] { new Expected("flyokai_t", Check, "chk_qty", "Presence", "present", "missing", Warning) }
        },
        {
            "column order",
            T("id INT NOT NULL, a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (id)"),
            T("id INT NOT NULL, b INT NOT NULL, a INT NOT NULL, PRIMARY KEY (id)"),
            new[]
            {
                new Expected("flyokai_t", Column, "a", "Position", "2", "3", Warning),
                new Expected("flyokai_t", Column, "b", "Position", "3", "2", Warning),
            }
        },
        {
            "what is not drift: display widths, NULL defaults, NO ACTION, now(), BOOLEAN, DATETIME(0)",
            Parent + T("id INT(11) NOT NULL, flag TINYINT(1) NOT NULL DEFAULT 0, note VARCHAR(10) NULL, at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, pid BINARY(16) NULL, PRIMARY KEY (id), KEY idx_pid (pid), CONSTRAINT fk_t_p FOREIGN KEY (pid) REFERENCES flyokai_p (id)"),
            Parent + T("id INT(10) NOT NULL, flag BOOLEAN NOT NULL DEFAULT FALSE, note VARCHAR(10) NULL DEFAULT NULL, at DATETIME(0) NOT NULL DEFAULT now(), pid BINARY(16) NULL, PRIMARY KEY (id), KEY idx_pid (pid), CONSTRAINT fk_t_p FOREIGN KEY (pid) REFERENCES flyokai_p (id) ON DELETE NO ACTION ON UPDATE NO ACTION"),
            new Expected[0]
        },
    };

    private static async Task<(List<SchemaDifference> Differences, PsRun Run, ShopwareSite Site)> CompareAsync(string shopwareDdl, string clusterDdl, params string[] tables)
    {
        var site = await ShopwareSite.CreateAsync();
        await site.Shopware.ExecuteAsync(shopwareDdl);
        await site.Cluster.ExecuteAsync(clusterDdl);
        var run = PsHost.Invoke("Test-SchemaParity -ShopwareRoot $root -Table $tables",
            new Dictionary<string, object?> { ["root"] = site.Root, ["tables"] = tables }, allStreams: true).AssertNoErrors();
        return (run.Objects<SchemaDifference>().ToList(), run, site);
    }

    [Theory]
    [MemberData(nameof(Drifts))]
    public async Task ReportsEachDriftKindExactly(string drift, string shopwareDdl, string clusterDdl, Expected[] expected)
    {
        var (differences, run, site) = await CompareAsync(shopwareDdl, clusterDdl, "flyokai_t");
        await using (site)
        {
            Assert.True(expected.SequenceEqual(differences.Select(Expected.Of)),
                $"{drift}: expected [{string.Join("; ", expected.Select(e => e.ToString()))}] but got [{string.Join("; ", differences.Select(d => Expected.Of(d).ToString()))}]");
            Assert.All(differences, d => Assert.Contains(d.Element == null ? "Table " + d.Table : d.Table + "." + d.Element, d.Message));
            foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, run.AllText());
        }
    }

    [Fact]
    public async Task ReportsTablesMissingOnEitherEnd()
    {
        var (differences, _, site) = await CompareAsync(
            T("id INT NOT NULL, PRIMARY KEY (id)") + ";" + T("id INT NOT NULL, PRIMARY KEY (id)", "flyokai_u"),
            T("id INT NOT NULL, PRIMARY KEY (id)") + ";" + T("id INT NOT NULL, PRIMARY KEY (id)", "flyokai_v"),
            "flyokai_t", "flyokai_u", "flyokai_v");
        await using (site)
        {
            Assert.Equal(new[]
            {
                new Expected("flyokai_u", Table, null, "Presence", "present", "missing", Error),
                new Expected("flyokai_v", Table, null, "Presence", "missing", "present", Error),
            }, differences.Select(Expected.Of));
        }
    }

    [Fact]
    public async Task IdenticalFlyokaiDataPlaneHasNoDifferences()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);

        var run = PsHost.Invoke("Test-SchemaParity -ShopwareRoot $root; Test-SchemaParity -ShopwareRoot $root -Quiet",
            new Dictionary<string, object?> { ["root"] = site.Root }, allStreams: true).AssertNoErrors();

        Assert.Equal(new object[] { true }, run.Output.Select(o => o.BaseObject));
        Assert.Contains(run.Verbose, v => v.Message.Contains("Compared 22 table(s): 0 error(s), 0 warning(s)"));
        foreach (var secret in site.Secrets) Assert.DoesNotContain(secret, run.AllText());
    }

    [Fact]
    public async Task QuietIsFalseOnDriftAndTrueWhenOnlyWarningsRemain()
    {
        var (_, _, site) = await CompareAsync(
            T("id INT NOT NULL, note VARCHAR(10) COLLATE utf8mb4_unicode_ci NULL, PRIMARY KEY (id)") + ";" + T("id INT NOT NULL, PRIMARY KEY (id)", "flyokai_u"),
            T("id INT NOT NULL, note VARCHAR(10) COLLATE utf8mb4_general_ci NULL, PRIMARY KEY (id)") + ";" + T("id BIGINT NOT NULL, PRIMARY KEY (id)", "flyokai_u"),
            "flyokai_t");
        await using (site)
        {
            var run = PsHost.Invoke("Test-SchemaParity -ShopwareRoot $root -Table flyokai_t -Quiet; Test-SchemaParity -ShopwareRoot $root -Table flyokai_t, flyokai_u -Quiet",
                new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();

            Assert.Equal(new object[] { true, false }, run.Output.Select(o => o.BaseObject));
        }
    }

    [Fact]
    public async Task AcceptsTheProfileFromThePipeline()
    {
        await using var site = await ShopwareSite.CreateAsync(dataPlaneOnShopware: true, dataPlaneOnCluster: true);
        await site.Cluster.ExecuteAsync("ALTER TABLE flyokai_payout MODIFY amount DECIMAL(14,4) NOT NULL");

        var run = PsHost.Invoke("Get-MigrationProfile -ShopwareRoot $root | Test-SchemaParity",
            new Dictionary<string, object?> { ["root"] = site.Root }).AssertNoErrors();

        var difference = Assert.Single(run.Objects<SchemaDifference>());
        Assert.Equal(new Expected("flyokai_payout", Column, "amount", "Precision", "12", "14", Error), Expected.Of(difference));
    }
}
