using Kobbopay.AspNetCore.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.AspNetCore.Tests.HealthChecks;

/// <summary>The ring of buckets behind the <c>kobbopay-webhooks</c> check: a count over the last window, to one bucket's width.</summary>
public sealed class SlidingWindowCounterTests
{
    [Fact]
    public void Counts_WhatHappenedWithinTheWindow_AndForgetsEachBucketAsItLeaves()
    {
        FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        SlidingWindowCounter counter = new(TimeSpan.FromSeconds(60), buckets: 6, clock); // 10-second buckets

        for (int second = 0; second < 60; second++)
        {
            counter.Increment();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        counter.Count().ShouldBe(50, "at 10:01:00 the bucket 10:00:00-10:00:10 has left the window");
        clock.Advance(TimeSpan.FromSeconds(25));
        counter.Count().ShouldBe(30);
        counter.Increment();
        counter.Count().ShouldBe(31);
        clock.Advance(TimeSpan.FromMinutes(10));
        counter.Count().ShouldBe(0, "a slot reused long after is not counted again");
        counter.Increment();
        counter.Count().ShouldBe(1);
    }
}
