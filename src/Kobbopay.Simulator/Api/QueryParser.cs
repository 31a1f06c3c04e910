using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Kobbopay.Simulator.Internal;

/// <summary>Parses list queries, naming the parameter in every rejection.</summary>
internal static class QueryParser
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static (PaymentQuery? Query, ApiError? Error) ParsePayments(IQueryCollection query, EnvironmentState env, long count)
    {
        // Every check runs, in this order, and the first rejection is the answer (an argument list assigns its out
        // variables left to right, so each check can use the values read before it).
        ApiError? error = FirstOf(
            Single(query, "orderId", out string? orderId),
            orderId is { Length: 0 or > 128 } ? ApiError.Invalid("orderId", "orderId must be 1 to 128 characters.") : null,
            Single(query, "status", out string? status),
            status is not null && !PaymentStatuses.IsKnown(status) ? ApiError.Invalid("status", "status must be one of pending, paid, confirmed, expired.") : null,
            Time(query, "createdFrom", out DateTimeOffset? from),
            Time(query, "createdTo", out DateTimeOffset? to),
            Limit(query, out int limit),
            After(query, 'p', PaymentScope(env, orderId, status, from, to), count, out long? after));

        return error is null ? (new PaymentQuery(orderId, status, from, to, limit, after), null) : (null, error);
    }

    public static string PaymentScope(EnvironmentState env, string? orderId, string? status, DateTimeOffset? from, DateTimeOffset? to) =>
        string.Join('\n', "payments", env.Name, orderId ?? "-", status ?? "-", Stamp(from), Stamp(to));

    public static (EventQuery? Query, ApiError? Error) ParseEvents(IQueryCollection query, EnvironmentState env, long count)
    {
        ApiError? error = FirstOf(
            Single(query, "type", out string? type),
            type is not null && !EventTypes.IsValidFilter(type) ? ApiError.Invalid("type", "type must be an event type such as payment.paid.") : null,
            Time(query, "createdFrom", out DateTimeOffset? from),
            Limit(query, out int limit),
            After(query, 'e', EventScope(env, type, from), count, out long? after));

        return error is null ? (new EventQuery(type, from, limit, after), null) : (null, error);
    }

    public static string EventScope(EnvironmentState env, string? type, DateTimeOffset? from) =>
        string.Join('\n', "events", env.Name, type ?? "-", Stamp(from));

    private static ApiError? FirstOf(params ReadOnlySpan<ApiError?> checks)
    {
        foreach (ApiError? error in checks)
        {
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string Stamp(DateTimeOffset? value) => value?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static ApiError? Single(IQueryCollection query, string name, out string? value)
    {
        value = null;
        if (!query.TryGetValue(name, out StringValues values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            return ApiError.Invalid(name, $"{name} may be given once.");
        }

        value = values[0];
        return null;
    }

    private static ApiError? Time(IQueryCollection query, string name, out DateTimeOffset? value)
    {
        value = null;
        if (Single(query, name, out string? text) is { } e)
        {
            return e;
        }

        if (text is null)
        {
            return null;
        }

        // RFC 3339: a full date and time with 'T' and an explicit offset or 'Z'.
        bool shaped = text.Length is >= 20 and <= 40 && text[10] is 'T' or 't'
            && (text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-');
        if (!shaped || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
        {
            return ApiError.Invalid(name, $"{name} must be an RFC 3339 timestamp such as 2026-11-21T10:00:00Z.");
        }

        value = parsed;
        return null;
    }

    private static ApiError? Limit(IQueryCollection query, out int limit)
    {
        limit = DefaultLimit;
        if (Single(query, "limit", out string? text) is { } e)
        {
            return e;
        }

        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit)
        {
            return ApiError.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }

        return null;
    }

    private static ApiError? After(IQueryCollection query, char kind, string scope, long count, out long? after)
    {
        after = null;
        if (Single(query, "cursor", out string? text) is { } e)
        {
            return e;
        }

        if (text is null)
        {
            return null;
        }

        if (Cursor.TryDecode(text, kind, scope, count, out long position) is { } bad)
        {
            return bad;
        }

        after = position;
        return null;
    }
}
