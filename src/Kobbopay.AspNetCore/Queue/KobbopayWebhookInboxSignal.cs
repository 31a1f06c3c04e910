namespace Kobbopay.AspNetCore.Queue;

/// <summary>Wakes the inbox worker when this instance enqueues an event, so it does not wait out its poll interval.</summary>
internal sealed class KobbopayWebhookInboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    /// <summary>Wakes the worker; several calls before it wakes count as one.</summary>
    public void Notify()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Waits for a notification or until <paramref name="timeout"/> passes on <paramref name="timeProvider"/>.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="waiting">Called once the wait's timer is set, for tests that then advance a fake clock.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, Action? waiting, CancellationToken cancellationToken)
    {
        using CancellationTokenSource timer = new(timeout, timeProvider);
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        waiting?.Invoke();
        try
        {
            await _semaphore.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}
