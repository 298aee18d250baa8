using MarketplaceMigration.Engine.Verify;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>JSON by content, as verification compares it between a MariaDB and a MySQL 8 end.</summary>
public sealed class JsonCanonicalTests
{
    [Theory]
    // MariaDB keeps the text as written; MySQL 8 returns its normalised form (keys sorted by length, then bytes; ", " and ": ").
    [InlineData("{\"b\":2,\"a\":[1,2.50,\"x\\\"y\"],\"u\":\"\\u00e9 😀\",\"z\":null}", "{\"a\": [1, 2.50, \"x\\\"y\"], \"b\": 2, \"u\": \"é 😀\", \"z\": null}")]
    [InlineData("{\"n\": 1e2}", "{\"n\": 100.0}")]
    [InlineData("{\"n\": 100}", "{\"n\": 100.0}")]
    [InlineData("[  true , false ]", "[true, false]")]
    [InlineData("{\"big\": 18446744073709551615}", "{\"big\": 18446744073709551615}")]
    [InlineData("{\"tiny\": 1e-400}", "{\"tiny\": 0}")]
    public void SameContentIsTheSame(string mariaDb, string mySql)
    {
        Assert.Equal(JsonCanonical.Canonicalize(mariaDb), JsonCanonical.Canonicalize(mySql));
    }

    [Theory]
    [InlineData("{\"a\": 1}", "{\"a\": 2}")]
    [InlineData("{\"a\": 1}", "{\"A\": 1}")]
    [InlineData("[1, 2]", "[2, 1]")]
    [InlineData("{\"a\": \"1\"}", "{\"a\": 1}")]
    [InlineData("{\"a\": null}", "{}")]
    [InlineData("not json", "\"not json\"")]
    public void DifferentContentIsDifferent(string left, string right)
    {
        Assert.NotEqual(JsonCanonical.Canonicalize(left), JsonCanonical.Canonicalize(right));
    }
}
