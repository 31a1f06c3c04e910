namespace Kobbopay.Webhooks.Internal;

/// <summary>Checks a signature header's entries against the expected MACs: the part of verification both schemes share.</summary>
internal static class SignatureEntries
{
    /// <summary>The most readable entries looked at; more are ignored.</summary>
    public const int MaxEntries = 8;

    /// <summary>Matches the header's entries against <paramref name="macs"/>.</summary>
    /// <typeparam name="TFormat">How the scheme writes an entry.</typeparam>
    /// <param name="header">The signature header's value.</param>
    /// <param name="macs">The expected MACs, one per active secret (<see cref="SecretMacs.ComputeAll"/>).</param>
    /// <returns>Valid when any readable entry matches any secret; malformed when no entry is readable.</returns>
    public static WebhookVerificationResult Match<TFormat>(string header, ReadOnlySpan<byte> macs)
        where TFormat : ISignatureEntryFormat
    {
        Span<byte> candidate = stackalloc byte[KeyedHmac.MacSize];
        ReadOnlySpan<char> rest = header;
        int entries = 0;
        bool matched = false;
        while (!rest.IsEmpty && entries < MaxEntries)
        {
            int end = TFormat.IndexOfSeparator(rest);
            ReadOnlySpan<char> entry = (end < 0 ? rest : rest[..end]).Trim();
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (!TFormat.TryReadMac(entry, candidate))
            {
                continue; // another version, or unreadable: skipped, not fatal
            }

            entries++;
            matched |= SecretMacs.MatchesAny(candidate, macs);
        }

        return entries == 0 ? new(WebhookVerificationFailure.HeaderMalformed)
            : matched ? WebhookVerificationResult.Valid
            : new(WebhookVerificationFailure.NoSecretMatched);
    }
}
