namespace Kobbopay.Shared.Webhooks;

/// <summary>
/// What makes a webhook signing secret look like a placeholder or a bad copy rather than the one the gateway issued:
/// empty, angle brackets anywhere, white space at either end or inside, fewer than <see cref="MinimumLength"/>
/// characters. One rule for the endpoint's settings (Kobbopay.AspNetCore) and <c>kobbopay doctor</c> (Kobbopay.Cli).
/// </summary>
internal static class WebhookSecretRule
{
    /// <summary>The fewest characters a webhook signing secret may have; a shorter one is a placeholder or a cut-off copy.</summary>
    public const int MinimumLength = 16;

    /// <summary>Says what is wrong with a secret, to follow the setting's name; says its length at most, never the secret.</summary>
    /// <param name="secret">The secret.</param>
    /// <returns>The problem (<c>is empty.</c>, <c>looks like a placeholder …</c>), or <see langword="null"/> when it has none.</returns>
    public static string? Problem(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return "is empty.";
        }

        if (secret.AsSpan().ContainsAny('<', '>'))
        {
            return "looks like a placeholder (it contains '<' or '>'): set the webhook signing secret from your environment's integration materials.";
        }

        if (secret.Trim().Length != secret.Length)
        {
            return "starts or ends with white space; copy the secret exactly.";
        }

        if (secret.Any(char.IsWhiteSpace))
        {
            return "contains white space; copy the secret exactly.";
        }

        return secret.Length < MinimumLength
            ? $"is {secret.Length} characters long; a webhook signing secret has at least {MinimumLength}, so this looks like a placeholder or a cut-off copy."
            : null;
    }
}
