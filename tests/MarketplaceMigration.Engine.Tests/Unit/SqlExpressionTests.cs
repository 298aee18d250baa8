using MarketplaceMigration.Engine.Schema;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

public sealed class SqlExpressionTests
{
    [Theory]
    [InlineData("`id` * 2", "id*2")]
    [InlineData("(`id` * 2)", "id*2")]
    [InlineData("((`id` * 2))", "id*2")]
    [InlineData("(`a` + 1) * (`b` + 1)", "(a+1)*(b+1)")]
    [InlineData("concat(`s`,'x')", "concat(s,'x')")]
    [InlineData("concat(`s`,_utf8mb4\\'x\\')", "concat(s,'x')")]
    [InlineData("concat(`s`,_utf8mb4'X Y')", "concat(s,'X Y')")]
    [InlineData("`a` AND `b`", "a and b")]
    [InlineData("CURRENT_TIMESTAMP", "current_timestamp")]
    [InlineData("current_timestamp()", "current_timestamp")]
    [InlineData("now()", "current_timestamp")]
    [InlineData("NOW(3)", "current_timestamp(3)")]
    [InlineData("current_timestamp(0)", "current_timestamp")]
    [InlineData("json_valid(`payload`)", "json_valid(payload)")]
    [InlineData("`amount` >= 0", "amount>=0")]
    [InlineData("(`amount` >= 0)", "amount>=0")]
    public void CanonicalForm(string expression, string canonical)
    {
        Assert.Equal(canonical, SqlExpression.Canonical(expression));
    }
}
