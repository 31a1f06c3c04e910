using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Kobbopay.Benchmarks;

/// <summary>
/// One short, in-process job for every benchmark class, so that build/bench.sh finishes in minutes on two cores:
/// 5 warmups and 10 measured iterations of about 150 ms each. KOBBOPAY_BENCH_SMOKE=1 (bench.sh --smoke) swaps it
/// for BenchmarkDotNet's dry job: one invocation, only proves the benchmark runs.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        bool smoke = Environment.GetEnvironmentVariable("KOBBOPAY_BENCH_SMOKE") == "1";
        Job job = smoke
            ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Dry")
            : Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(5)
                .WithIterationCount(10)
                .WithIterationTime(TimeInterval.FromMilliseconds(150))
                .WithId("Bench");
        AddJob(job);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(JsonExporter.Full);
        AddColumn(StatisticColumn.Median);
        WithOption(ConfigOptions.JoinSummary, false);
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(RatioStyle.Value);
    }
}
