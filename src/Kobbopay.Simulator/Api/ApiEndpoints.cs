using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using static Kobbopay.Simulator.Internal.Handlers;
using Kobbopay.Contracts;

namespace Kobbopay.Simulator.Internal;

/// <summary>The <c>/v1</c> payment API of CONTRACT.md.</summary>
internal static class ApiEndpoints
{
    private const string IdempotencyHeader = KobbopayHeaders.IdempotencyKey;

    public static void Map(IEndpointRouteBuilder app, SimulatorState state)
    {
        RouteGroupBuilder v1 = app.MapGroup("/v1").WithTags("Payments");

        v1.MapPost("/payments", Handler(context => CreateAsync(context, state)))
            .WithName("CreatePayment")
            .WithSummary("Creates a payment. Send an Idempotency-Key so a retry never creates a second one.")
            .Accepts<CreatePaymentRequestDto>("application/json")
            .Produces<PaymentDto>(StatusCodes.Status201Created)
            .Produces<ErrorResponseDto>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponseDto>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponseDto>(StatusCodes.Status403Forbidden)
            .Produces<ErrorResponseDto>(StatusCodes.Status409Conflict)
            .Produces<ErrorResponseDto>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ErrorResponseDto>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<ErrorResponseDto>(StatusCodes.Status422UnprocessableEntity)
            .Produces<ErrorResponseDto>(StatusCodes.Status429TooManyRequests);

        v1.MapGet("/payments/{id}", Handler(context => GetAsync(context, state)))
            .WithName("GetPayment")
            .WithSummary("Gets a payment's authoritative status.")
            .Produces<PaymentDto>()
            .Produces<ErrorResponseDto>(StatusCodes.Status403Forbidden)
            .Produces<ErrorResponseDto>(StatusCodes.Status404NotFound);

        v1.MapGet("/payments", Handler(context => ListPaymentsAsync(context, state)))
            .WithName("ListPayments")
            .WithSummary("Lists payments, newest first, a page at a time (orderId, status, createdFrom, createdTo, limit, cursor).")
            .Produces<PageDto<PaymentDto>>()
            .Produces<ErrorResponseDto>(StatusCodes.Status400BadRequest);

        v1.MapGet("/events", Handler(context => ListEventsAsync(context, state)))
            .WithName("ListEvents")
            .WithTags("Events")
            .WithSummary("Exports events, oldest first, a page at a time (type, createdFrom, limit, cursor).")
            .Produces<PageDto<EventDto>>()
            .Produces<ErrorResponseDto>(StatusCodes.Status400BadRequest);
    }

    private static async Task CreateAsync(HttpContext context, SimulatorState state)
    {
        EnvironmentState env = RequestState.Of(context).Environment!;
        string? key = null;
        if (context.Request.Headers.TryGetValue(IdempotencyHeader, out var keys))
        {
            key = keys.Count == 1 ? keys[0] : null;
            if (key is null || key.Length is 0 or > 255 || !key.All(c => c is >= ' ' and <= '~'))
            {
                await ApiResponses.WriteErrorAsync(context, ApiError.Invalid(IdempotencyHeader, "Idempotency-Key must be one value of 1 to 255 printable ASCII characters."));
                return;
            }
        }

        (byte[]? body, ApiError? readError) = await RequestBodyReader.ReadJsonAsync(context, state.Options.MaxRequestBodyBytes);
        if (readError is not null)
        {
            await ApiResponses.WriteErrorAsync(context, readError);
            return;
        }

        (ParsedCreate? parsed, ApiError? parseError) = CreatePaymentParser.Parse(body);
        if (parseError is not null)
        {
            await ApiResponses.WriteErrorAsync(context, parseError);
            return;
        }

        SimulatorRail? rail = env.FindRail(parsed!.Network, parsed.Currency);
        if (rail is null)
        {
            await ApiResponses.WriteErrorAsync(context, new ApiError(StatusCodes.Status422UnprocessableEntity, "unsupported_rail", $"{parsed.Currency} on {parsed.Network} is not enabled in this environment.", "network"));
            return;
        }

        if (Wire.Scale(parsed.Amount) > rail.Decimals)
        {
            await ApiResponses.WriteErrorAsync(context, new ApiError(StatusCodes.Status422UnprocessableEntity, "amount_precision", $"{rail.Currency} has {rail.Decimals} decimals; amount has more.", "amount"));
            return;
        }

        CreatePaymentInput input = new(
            parsed.Amount,
            rail,
            parsed.OrderId,
            parsed.Metadata,
            parsed.ExpiresInSeconds is { } s ? TimeSpan.FromSeconds(s) : state.Options.DefaultPaymentWindow);

        if (key is null)
        {
            PaymentRecord created = state.Engine.Create(env, input);
            await ApiResponses.WriteJsonAsync(context, StatusCodes.Status201Created, created.ToCreatedDto(), SimulatorJsonContext.Default.PaymentDto);
            return;
        }

        switch (state.Idempotency.TryBegin(env.Name, key, parsed.Fingerprint(), out IdempotencyStore.Entry entry))
        {
            case IdempotencyStore.Outcome.Replay:
                // The payment as the create answered it, not as it is now: rendered from what creation fixed, so byte for byte the first answer.
                context.Response.Headers[KobbopayHeaders.IdempotentReplayed] = "true";
                await ApiResponses.WriteJsonAsync(context, StatusCodes.Status201Created, entry.Payment!.ToCreatedDto(), SimulatorJsonContext.Default.PaymentDto);
                return;
            case IdempotencyStore.Outcome.InUse:
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status409Conflict, "idempotency_key_in_use", "A request with this Idempotency-Key is still in progress; retry shortly.", IdempotencyHeader);
                return;
            case IdempotencyStore.Outcome.Reused:
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "This Idempotency-Key was used with a different request body.", IdempotencyHeader);
                return;
        }

        bool completed = false;
        try
        {
            PaymentRecord created = state.Engine.Create(env, input);
            state.Idempotency.Complete(entry, created);
            completed = true;
            await ApiResponses.WriteJsonAsync(context, StatusCodes.Status201Created, created.ToCreatedDto(), SimulatorJsonContext.Default.PaymentDto);
        }
        finally
        {
            if (!completed)
            {
                state.Idempotency.Release(entry);
            }
        }
    }

    private static Task GetAsync(HttpContext context, SimulatorState state)
    {
        EnvironmentState env = RequestState.Of(context).Environment!;
        string id = (string)context.Request.RouteValues["id"]!;
        var found = state.Engine.Find(id);
        if (found is null)
        {
            return ApiResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, "payment_not_found", "No payment has that id.", "id");
        }

        if (!string.Equals(found.Value.Environment, env.Name, StringComparison.OrdinalIgnoreCase))
        {
            return ApiResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "environment_mismatch", "That payment belongs to another environment than this API key's.", "id");
        }

        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, found.Value.Dto, SimulatorJsonContext.Default.PaymentDto);
    }

    private static Task ListPaymentsAsync(HttpContext context, SimulatorState state)
    {
        EnvironmentState env = RequestState.Of(context).Environment!;
        var parsed = QueryParser.ParsePayments(context.Request.Query, env, state.Engine.PaymentCountIn(env));
        return WritePageAsync(context, parsed, query => PaymentPage(state.Engine, env, query), SimulatorJsonContext.Default.PageDtoPaymentDto);
    }

    private static Task ListEventsAsync(HttpContext context, SimulatorState state)
    {
        EnvironmentState env = RequestState.Of(context).Environment!;
        var parsed = QueryParser.ParseEvents(context.Request.Query, env, state.Engine.EventCountIn(env));
        return WritePageAsync(context, parsed, query => EventPage(state.Engine, env, query), SimulatorJsonContext.Default.PageDtoEventDto);
    }

    private static PageDto<PaymentDto> PaymentPage(PaymentEngine engine, EnvironmentState env, PaymentQuery query)
    {
        (List<PaymentDto> items, long? next) = engine.ListPayments(env, query);
        return new(items, next is { } n ? Cursor.Encode('p', n, QueryParser.PaymentScope(env, query.OrderId, query.Status, query.CreatedFrom, query.CreatedTo)) : null);
    }

    private static PageDto<EventDto> EventPage(PaymentEngine engine, EnvironmentState env, EventQuery query)
    {
        (List<EventDto> items, long? next) = engine.ListEvents(env, query);
        return new(items, next is { } n ? Cursor.Encode('e', n, QueryParser.EventScope(env, query.Type, query.CreatedFrom)) : null);
    }

    /// <summary>Answers a list request: the parser's rejection, or the page read for the parsed query.</summary>
    private static Task WritePageAsync<TQuery, TItem>(
        HttpContext context, (TQuery? Query, ApiError? Error) parsed, Func<TQuery, PageDto<TItem>> readPage, JsonTypeInfo<PageDto<TItem>> typeInfo)
        where TQuery : class =>
        parsed.Error is { } error
            ? ApiResponses.WriteErrorAsync(context, error)
            : ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, readPage(parsed.Query!), typeInfo);
}
