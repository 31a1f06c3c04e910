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
        if (Single(query, "orderId", out string? orderId) is { } e0)
        {
            return (null, e0);
        }

        if (orderId is not null && orderId.Length is 0 or > 128)
        {
            return (null, ApiError.Invalid("orderId", "orderId must be 1 to 128 characters."));
        }

        if (Single(query, "status", out string? status) is { } e1)
        {
            return (null, e1);
        }

        if (status is not null && !PaymentStatuses.IsKnown(status))
        {
            return (null, ApiError.Invalid("status", "status must be one of pending, paid, confirmed, expired."));
        }

        if (Time(query, "createdFrom", out DateTimeOffset? from) is { } e2)
        {
            return (null, e2);
        }

        if (Time(query, "createdTo", out DateTimeOffset? to) is { } e3)
        {
            return (null, e3);
        }

        if (Limit(query, out int limit) is { } e4)
        {
            return (null, e4);
        }

        string scope = PaymentScope(env, orderId, status, from, to);
        if (After(query, 'p', scope, count, out long? after) is { } e5)
        {
            return (null, e5);
        }

        return (new PaymentQuery(orderId, status, from, to, limit, after), null);
    }

    public static string PaymentScope(EnvironmentState env, string? orderId, string? status, DateTimeOffset? from, DateTimeOffset? to) =>
        string.Join('\n', "payments", env.Name, orderId ?? "-", status ?? "-", Stamp(from), Stamp(to));

    public static (EventQuery? Query, ApiError? Error) ParseEvents(IQueryCollection query, EnvironmentState env, long count)
    {
        if (Single(query, "type", out string? type) is { } e0)
        {
            return (null, e0);
        }

        if (type is not null && !EventTypes.IsValidFilter(type))
        {
            return (null, ApiError.Invalid("type", "type must be an event type such as payment.paid."));
        }

        if (Time(query, "createdFrom", out DateTimeOffset? from) is { } e1)
        {
            return (null, e1);
        }

        if (Limit(query, out int limit) is { } e2)
        {
            return (null, e2);
        }

        string scope = EventScope(env, type, from);
        if (After(query, 'e', scope, count, out long? after) is { } e3)
        {
            return (null, e3);
        }

        return (new EventQuery(type, from, limit, after), null);
    }

    public static string EventScope(EnvironmentState env, string? type, DateTimeOffset? from) =>
        string.Join('\n', "events", env.Name, type ?? "-", Stamp(from));

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
