using System.Buffers.Text;
using System.Text;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Events;

/// <summary>
/// Where an export stands: the gateway cursor of the page to read next, and, when that page was the last one and
/// was already partly written, the event written last from it (skipped through on the rerun). The gateway's last
/// page has no next cursor, so a cursor alone could not say "after these events"; the pair can.
/// </summary>
/// <remarks>
/// Written as the gateway's cursor itself when nothing of its page is written yet, otherwise as
/// <c>resume.{base64url cursor}.{base64url event}</c>. A bare gateway cursor (a page's <c>nextCursor</c>) is read as one too.
/// </remarks>
/// <param name="PageCursor">The gateway cursor of the page to read next, or <see langword="null"/> for the first page.</param>
/// <param name="WrittenThrough">The mark of the event written last from that page, or <see langword="null"/> when none was.</param>
internal sealed record ExportCheckpoint(string? PageCursor, string? WrittenThrough)
{
    private const string Prefix = "resume.";

    /// <summary>Gets the checkpoint of an export that has not started.</summary>
    public static ExportCheckpoint Start { get; } = new(null, null);

    /// <summary>Gets whether this is the start: nothing exported yet.</summary>
    public bool IsStart => PageCursor is null && WrittenThrough is null;

    /// <summary>Gets the mark an event is recognized by on a rerun: its id, or its payment, sequence and type when it has none.</summary>
    /// <param name="paymentEvent">The event.</param>
    /// <returns>The mark.</returns>
    public static string MarkOf(PaymentEvent paymentEvent) =>
        paymentEvent.Id ?? $"{paymentEvent.PaymentId}/{paymentEvent.Sequence}/{paymentEvent.Type.Value}";

    /// <summary>Reads a checkpoint as <see cref="ToString"/> writes it, or a bare gateway cursor.</summary>
    /// <param name="text">The text.</param>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <returns><see langword="false"/> when the text is empty or a malformed <c>resume.</c> token.</returns>
    public static bool TryParse(string? text, out ExportCheckpoint checkpoint)
    {
        checkpoint = Start;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            checkpoint = new ExportCheckpoint(text, null);
            return true;
        }

        string[] parts = text[Prefix.Length..].Split('.');
        if (parts.Length != 2 || !Base64Url.IsValid(parts[0]) || !Base64Url.IsValid(parts[1]) || parts[1].Length == 0)
        {
            return false;
        }

        string cursor = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]));
        checkpoint = new ExportCheckpoint(cursor.Length == 0 ? null : cursor, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])));
        return true;
    }

    /// <summary>Writes the checkpoint for <c>--since-cursor</c>.</summary>
    /// <returns>The token; empty at the start.</returns>
    public override string ToString() => WrittenThrough is null
        ? PageCursor ?? string.Empty
        : Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(PageCursor ?? string.Empty)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(WrittenThrough));
}
