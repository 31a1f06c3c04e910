using Kobbopay.AspNetCore;

namespace Kobbopay.QueuedWebhookApp;

/// <summary>Records each run in the <see cref="RunLog"/> and says so on stdout; past its quota, blocks before its effect until the process dies.</summary>
internal sealed class RecordingHandler(RunLog log) : IKobbopayWebhookHandler
{
    public async Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
    {
        string id = context.Event.Id!;
        if (!log.MayComplete())
        {
            Console.WriteLine("BLOCKED " + id);
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
        }

        log.Append(id);
        Console.WriteLine("HANDLED " + id);
    }
}
