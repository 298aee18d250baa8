using System;
using MarketplaceMigration.Engine.Steps;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>How often a run paused before its cutover verifies every table again: a read of every row of the live source.</summary>
public sealed class CatchUpStepTests
{
    [Theory]
    [InlineData(0, 60)]          // a small shop: every minute
    [InlineData(5, 60)]
    [InlineData(10, 90)]         // longer passes: verifying again takes at most a tenth of the pause
    [InlineData(200, 1800)]      // a large shop's 200 s pass: every half hour, not every minute for hours
    public void ReverifyingWhilePausedTakesAtMostATenthOfThePause(int passSeconds, int waitSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(waitSeconds), CatchUpStep.ReverifyAfter(TimeSpan.FromSeconds(passSeconds)));
    }
}
