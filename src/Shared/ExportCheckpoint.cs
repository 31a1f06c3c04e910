using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Kobbopay.Sdk;

namespace Kobbopay;

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
/// <param name="CreatedFrom">
/// The <c>createdFrom</c> filter the first page is read with, when the export started at a time rather than at its
/// first event (a reconciliation's period); kept so that a rerun from the first page reads the same page. Written as a
/// third part of the <c>resume.</c> token, in Unix milliseconds.
/// </param>
internal sealed record ExportCheckpoint(string? PageCursor, string? WrittenThrough, DateTimeOffset? CreatedFrom = null)
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
        DateTimeOffset? createdFrom = null;
        if (parts.Length == 3 && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long unixMilliseconds)
            && unixMilliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            createdFrom = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
        }
        else if (parts.Length != 2)
        {
            return false;
        }

        if (!Base64Url.IsValid(parts[0]) || !Base64Url.IsValid(parts[1]) || parts[1].Length == 0)
        {
            return false;
        }

        string cursor = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]));
        checkpoint = new ExportCheckpoint(cursor.Length == 0 ? null : cursor, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])), createdFrom);
        return true;
    }

    /// <summary>Gets how many events at the start of <paramref name="page"/> were written before: through <see cref="WrittenThrough"/>.</summary>
    /// <param name="page">The page read at <see cref="PageCursor"/>.</param>
    /// <param name="markFound"><see langword="false"/> when <see cref="WrittenThrough"/> is set but not on the page (then nothing is skipped).</param>
    /// <returns>The number of events to skip.</returns>
    public int SkipCount(IReadOnlyList<PaymentEvent> page, out bool markFound)
    {
        markFound = true;
        if (WrittenThrough is null)
        {
            return 0;
        }

        for (int i = 0; i < page.Count; i++)
        {
            if (string.Equals(MarkOf(page[i]), WrittenThrough, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        markFound = false;
        return 0;
    }

    /// <summary>Gets the options the page at this checkpoint is read with.</summary>
    /// <param name="pageSize">Events a page.</param>
    /// <returns>The options: the <see cref="CreatedFrom"/> filter on the first page, none after it (the cursor carries the position).</returns>
    public EventListOptions ListOptions(int pageSize) => new() { PageSize = pageSize, CreatedFrom = PageCursor is null ? CreatedFrom : null };

    /// <summary>Gets the checkpoint after reading a page at this one.</summary>
    /// <param name="nextCursor">The page's next cursor.</param>
    /// <param name="writtenThrough">The mark of the page's last event handled, or the previous one when the page had none new.</param>
    /// <returns>The next page's start when there is one; otherwise this page, read through <paramref name="writtenThrough"/>.</returns>
    public ExportCheckpoint After(string? nextCursor, string? writtenThrough) =>
        nextCursor is { } next ? new ExportCheckpoint(next, null) : this with { WrittenThrough = writtenThrough };

    /// <summary>Writes the checkpoint for <c>--since-cursor</c>.</summary>
    /// <returns>The token; empty at the start.</returns>
    public override string ToString() => WrittenThrough is null
        ? PageCursor ?? string.Empty
        : Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(PageCursor ?? string.Empty)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(WrittenThrough))
            + (PageCursor is null && CreatedFrom is { } from ? "." + from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : string.Empty);
}
