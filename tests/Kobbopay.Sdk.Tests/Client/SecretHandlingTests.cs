using Kobbopay.Sdk.Tests.TestSupport;
using Kobbopay.Simulator;
using Kobbopay.TestUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.Client;

/// <summary>The API key never shows up in logs, exception messages or ToString, whatever happens.</summary>
public sealed class SecretHandlingTests
{
    [Fact]
    public async Task TheApiKey_NeverAppearsInLogsExceptionsOrToString()
    {
        const string Key = "kp_test_sim_0000000000000000000000000000";
        await using var sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions
        {
            Faults = new SimulatorFaultOptions { Seed = 5, UnavailableRate = 0.3, DropConnectionRate = 0.2, RateLimitRate = 0.1, RetryAfterSeconds = 0 },
        }, Ct);
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var options = Options(sim, o => o.Resilience.MaxRetryAttempts = 2);
        var client = KobbopayClient.Create(options, loggerFactory: loggerFactory);
        List<string> texts = [options.ToString(), options.Resilience.ToString()!, client.ToString()!];

        for (int i = 0; i < 20; i++)
        {
            try
            {
                var p = await client.CreatePaymentAsync(Request($"o-{i}"), cancellationToken: Ct);
                texts.Add(p.ToString());
                await client.GetPaymentAsync("pay_missing", Ct);
            }
            catch (KobbopayException ex)
            {
                texts.Add(ex.ToString());
            }
        }

        var bad = KobbopayClient.Create(Options(sim, o => o.ApiKey = "kp_test_wrong_secret_value"), loggerFactory: loggerFactory);
        texts.Add((await Should.ThrowAsync<KobbopayException>(bad.GetPaymentAsync("pay_x", Ct))).ToString());
        var invalid = Should.Throw<ArgumentException>(() => KobbopayClient.Create(Options(sim, o => o.ApiKey = "kp_live_real_production_secret")));
        texts.Add(invalid.ToString());

        IReadOnlyList<FakeLogRecord> records = logs.Collector.GetSnapshot();
        records.Count.ShouldBeGreaterThan(20, "the client logged");
        texts.Count.ShouldBeGreaterThan(20);
        foreach (string text in records.Texts().Concat(texts))
        {
            text.ShouldNotContain(Key);
            text.ShouldNotContain("kp_test_wrong_secret_value");
            text.ShouldNotContain("kp_live_real_production_secret");
        }

        options.ToString().ShouldContain("ApiKey = ***");
    }
}
