namespace Kobbopay.Benchmarks;

/// <summary>Order statistics of the interleaved timings' per-round samples.</summary>
internal static class Quantiles
{
    /// <summary>Gets the median (the mean of the two middle values when their count is even).</summary>
    public static double Median(IEnumerable<double> values) => Of(values, 0.5);

    /// <summary>Gets the <paramref name="q"/> quantile (0 to 1), interpolated linearly between the two nearest values.</summary>
    public static double Of(IEnumerable<double> values, double q)
    {
        double[] sorted = [.. values];
        Array.Sort(sorted);
        double h = (sorted.Length - 1) * q;
        int below = (int)Math.Floor(h);
        int above = (int)Math.Ceiling(h);
        return sorted[below] + ((h - below) * (sorted[above] - sorted[below]));
    }
}
