using Kobbopay.Webhooks;
using Microsoft.Extensions.Options;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// The recent signature and handler failures of this application's webhook deliveries, for the <c>kobbopay-webhooks</c>
/// health check: the endpoint records each delivery's outcome here. Registered by <c>AddKobbopayHealthChecks</c>; without
/// it the endpoint records nothing.
/// </summary>
internal sealed class WebhookFailureWindow
{
    // 60 slots: a 5-minute window counts to the nearest 5 seconds.
    private const int Buckets = 60;

    private readonly SlidingWindowCounter _signatureFailures;
    private readonly SlidingWindowCounter _handlerFailures;

    public WebhookFailureWindow(IOptions<KobbopayHealthCheckOptions> options, IServiceProvider services)
    {
        TimeProvider time = services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        Window = options.Value.Window;
        _signatureFailures = new SlidingWindowCounter(Window, Buckets, time);
        _handlerFailures = new SlidingWindowCounter(Window, Buckets, time);
    }

    /// <summary>Gets how far back the counts reach.</summary>
    public TimeSpan Window { get; }

    /// <summary>Gets the signature failures within the window.</summary>
    public long SignatureFailures => _signatureFailures.Count();

    /// <summary>Gets the handler failures within the window.</summary>
    public long HandlerFailures => _handlerFailures.Count();

    /// <summary>Records a delivery's outcome; only the failures are counted.</summary>
    /// <param name="outcome">What became of the delivery.</param>
    public void Record(WebhookOutcome outcome)
    {
        if (outcome == WebhookOutcome.SignatureInvalid)
        {
            _signatureFailures.Increment();
        }
        else if (outcome == WebhookOutcome.HandlerFailed)
        {
            _handlerFailures.Increment();
        }
    }
}
