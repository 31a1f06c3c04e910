using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using static Kobbopay.Simulator.Internal.Handlers;

namespace Kobbopay.Simulator.Internal;

/// <summary>The control API under <c>/_sim</c>, and the payer's public status page.</summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SimulatorState state)
    {
        RouteGroupBuilder sim = app.MapGroup("/_sim").WithTags("Simulator control");

        sim.MapPost("/payments/{id}/pay", Handler(context => TransitionAsync(context, state, SimulatorJsonContext.Default.PayRequestDto, (id, body) =>
            {
                decimal? amount = null;
                if (body?.Amount is { } text)
                {
                    amount = CreatePaymentParser.TryParseMoney(text, out decimal a) && a > 0
                        ? a
                        : throw new SimulatorException("invalid_request", "amount must be a decimal string greater than zero, such as \"5.00\".");
                }

                if (body?.TxHash is { Length: > 128 })
                {
                    throw new SimulatorException("invalid_request", "txHash must be at most 128 characters.");
                }

                return state.Engine.Pay(id, amount, body?.TxHash);
            })))
            .WithSummary("Funds arrive for a payment: the whole amount still owed, or the amount given (partial or over).")
            .Accepts<PayRequestDto>("application/json")
            .Produces<PaymentDto>();

        sim.MapPost("/payments/{id}/confirm", Handler(context => TransitionAsync(context, state, SimulatorJsonContext.Default.ConfirmRequestDto, (id, body) => state.Engine.Confirm(id, body?.Confirmations))))
            .WithSummary("Confirms a paid payment.")
            .Accepts<ConfirmRequestDto>("application/json")
            .Produces<PaymentDto>();

        sim.MapPost("/payments/{id}/expire", Handler(context => TransitionAsync(context, state, SimulatorJsonContext.Default.ConfirmRequestDto, (id, _) => state.Engine.Expire(id))))
            .WithSummary("Expires a pending payment (or a paid one where AllowPaidToExpire is set).")
            .Produces<PaymentDto>();

        sim.MapGet("/clock", Handler(context => WriteClockAsync(context, state)))
            .WithSummary("Reads the simulator's clock.")
            .Produces<ClockDto>();

        sim.MapPost("/clock/advance", Handler(async context =>
            {
                (AdvanceClockRequestDto? body, ApiError? error) = await ReadAsync(context, state, SimulatorJsonContext.Default.AdvanceClockRequestDto, required: true);
                if (error is null && (body is null || !double.IsFinite(body.Seconds) || body.Seconds < 0 || body.Seconds > 10L * 365 * 86_400))
                {
                    error = ApiError.Invalid("seconds", "seconds must be a number from 0 to 315360000.");
                }

                if (error is not null)
                {
                    await ApiResponses.WriteErrorAsync(context, error);
                    return;
                }

                try
                {
                    state.Clock.Advance(TimeSpan.FromSeconds(body!.Seconds));
                }
                catch (ArgumentOutOfRangeException)
                {
                    await ApiResponses.WriteErrorAsync(context, ApiError.Invalid("seconds", $"seconds would move the clock past {SimulatorClock.Latest:O}, the latest time it holds; it is {state.Clock.GetUtcNow():O}."));
                    return;
                }

                await WriteClockAsync(context, state);
            }))
            .WithSummary("Moves the clock forward and runs what falls due.")
            .Accepts<AdvanceClockRequestDto>("application/json")
            .Produces<ClockDto>();

        sim.MapGet("/faults", Handler(context => ApiResponses.WriteJsonAsync(context, 200, state.Faults.Options, SimulatorJsonContext.Default.SimulatorFaultOptions)))
            .WithSummary("Reads the API fault injection settings.")
            .Produces<SimulatorFaultOptions>();

        sim.MapPut("/faults", Handler(async context =>
            {
                (FaultsRequestDto? body, ApiError? error) = await ReadAsync(context, state, SimulatorJsonContext.Default.FaultsRequestDto, required: true);
                if (error is null)
                {
                    try
                    {
                        state.Faults.Options = body!.ToOptions();
                    }
                    catch (ArgumentException ex)
                    {
                        error = new ApiError(400, "invalid_request", ex.Message, ex.ParamName);
                    }
                }

                if (error is not null)
                {
                    await ApiResponses.WriteErrorAsync(context, error);
                    return;
                }

                await ApiResponses.WriteJsonAsync(context, 200, state.Faults.Options, SimulatorJsonContext.Default.SimulatorFaultOptions);
            }))
            .WithSummary("Replaces the API fault injection settings and reseeds the generator.")
            .Accepts<SimulatorFaultOptions>("application/json")
            .Produces<SimulatorFaultOptions>();

        sim.MapGet("/requests", Handler(context =>
            {
                int? limit = null;
                if (context.Request.Query.TryGetValue("limit", out var text))
                {
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                    {
                        return ApiResponses.WriteErrorAsync(context, ApiError.Invalid("limit", "limit must be a whole number of at least 1."));
                    }

                    limit = n;
                }

                return ApiResponses.WriteJsonAsync(context, 200, new RecordedRequestsDto(state.Journal.Snapshot(limit)), SimulatorJsonContext.Default.RecordedRequestsDto);
            }))
            .WithSummary("Lists the requests the simulator received, oldest first (the last `limit`).")
            .Produces<RecordedRequestsDto>();

        sim.MapPost("/reset", Handler(context =>
            {
                state.Reset();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return Task.CompletedTask;
            }))
            .WithSummary("Clears payments, events, idempotency keys, deliveries and recorded requests, so a test suite needs no restart. Webhook endpoints, faults, API keys, rails and the clock stay; cursors from before the reset are not valid after it.")
            .Produces(StatusCodes.Status204NoContent);

        sim.MapDelete("/requests", Handler(context =>
            {
                state.Journal.Clear();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return Task.CompletedTask;
            }))
            .WithSummary("Forgets the recorded requests.")
            .Produces(StatusCodes.Status204NoContent);

        sim.MapPost("/webhook-endpoints", Handler(async context =>
            {
                (AddWebhookEndpointRequestDto? body, ApiError? error) = await ReadAsync(context, state, SimulatorJsonContext.Default.AddWebhookEndpointRequestDto, required: true);
                if (error is null && (body?.Url is null || !Uri.TryCreate(body.Url, UriKind.Absolute, out _)))
                {
                    error = ApiError.Invalid("url", "url must be an absolute http or https address.");
                }

                if (error is not null)
                {
                    await ApiResponses.WriteErrorAsync(context, error);
                    return;
                }

                try
                {
                    SimulatedWebhookEndpoint endpoint = state.Dispatcher.Add(new Uri(body!.Url!), body.Secret, body.Scheme ?? "hmac-sha256-hex", body.Environment);
                    await ApiResponses.WriteJsonAsync(context, StatusCodes.Status201Created, endpoint, SimulatorJsonContext.Default.SimulatedWebhookEndpoint);
                }
                catch (SimulatorException ex)
                {
                    await ApiResponses.WriteErrorAsync(context, 400, ex.Code, ex.Message, ex.Param);
                }
            }))
            .WithSummary("Registers a webhook endpoint (url; secret and scheme optional): every later event is delivered to it.")
            .Accepts<AddWebhookEndpointRequestDto>("application/json")
            .Produces<SimulatedWebhookEndpoint>(StatusCodes.Status201Created);

        sim.MapGet("/webhook-endpoints", Handler(context => ApiResponses.WriteJsonAsync(context, 200, new WebhookEndpointsDto(state.Dispatcher.Endpoints), SimulatorJsonContext.Default.WebhookEndpointsDto)))
            .WithSummary("Lists the webhook endpoints with their (test) secrets.")
            .Produces<WebhookEndpointsDto>();

        sim.MapDelete("/webhook-endpoints/{id}", Handler(context =>
            {
                if (state.Dispatcher.Remove((string)context.Request.RouteValues["id"]!))
                {
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return Task.CompletedTask;
                }

                return ApiResponses.WriteErrorAsync(context, 404, "endpoint_not_found", "No webhook endpoint has that id.");
            }))
            .WithSummary("Removes a webhook endpoint; its pending deliveries are cancelled.")
            .Produces(StatusCodes.Status204NoContent);

        sim.MapPost("/webhook-endpoints/{id}/enable", Handler(context =>
            {
                try
                {
                    return ApiResponses.WriteJsonAsync(context, 200, state.Dispatcher.Enable((string)context.Request.RouteValues["id"]!), SimulatorJsonContext.Default.SimulatedWebhookEndpoint);
                }
                catch (SimulatorException ex)
                {
                    return ApiResponses.WriteErrorAsync(context, 404, ex.Code, ex.Message);
                }
            }))
            .WithSummary("Enables a webhook endpoint again (one that answered 410 is disabled).")
            .Produces<SimulatedWebhookEndpoint>();

        sim.MapGet("/deliveries", Handler(context =>
            {
                string? eventId = context.Request.Query["eventId"];
                string? paymentId = context.Request.Query["paymentId"];
                int? limit = null;
                if (context.Request.Query.TryGetValue("limit", out var text))
                {
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                    {
                        return ApiResponses.WriteErrorAsync(context, ApiError.Invalid("limit", "limit must be a whole number of at least 1."));
                    }

                    limit = n;
                }

                List<SimulatedDelivery> items = [.. state.Dispatcher.Deliveries
                    .Where(d => (eventId is null || d.EventId == eventId) && (paymentId is null || d.PaymentId == paymentId))];
                return ApiResponses.WriteJsonAsync(context, 200, new DeliveriesDto(limit is { } l && items.Count > l ? items[^l..] : items), SimulatorJsonContext.Default.DeliveriesDto);
            }))
            .WithSummary("Lists webhook deliveries with every attempt, oldest first (filters: eventId, paymentId; limit: the last N).")
            .Produces<DeliveriesDto>();

        sim.MapPost("/deliveries/{id}/redeliver", Handler(context =>
            {
                try
                {
                    return ApiResponses.WriteJsonAsync(context, 200, state.Dispatcher.Redeliver((string)context.Request.RouteValues["id"]!), SimulatorJsonContext.Default.SimulatedDelivery);
                }
                catch (SimulatorException ex)
                {
                    return ApiResponses.WriteErrorAsync(context, ex.Code == "delivery_not_found" ? 404 : 409, ex.Code, ex.Message);
                }
            }))
            .WithSummary("Delivers an event again, now (409 endpoint_disabled or endpoint_not_found when its endpoint cannot take it).")
            .Produces<SimulatedDelivery>();

        sim.MapPost("/events/{eventId}/resend", Handler(async context =>
            {
                (ResendRequestDto? body, ApiError? error) = await ReadAsync(context, state, SimulatorJsonContext.Default.ResendRequestDto, required: false);
                Uri? url = null;
                if (error is null && body?.Url is { } text && !Uri.TryCreate(text, UriKind.Absolute, out url))
                {
                    error = ApiError.Invalid("url", "url must be an absolute http or https address.");
                }

                if (error is not null)
                {
                    await ApiResponses.WriteErrorAsync(context, error);
                    return;
                }

                try
                {
                    IReadOnlyList<SimulatedDelivery> sent = state.Resend((string)context.Request.RouteValues["eventId"]!, url, body?.EndpointId, body?.Secret, body?.Scheme);
                    await ApiResponses.WriteJsonAsync(context, 200, new ResendResultDto(sent), SimulatorJsonContext.Default.ResendResultDto);
                }
                catch (SimulatorException ex)
                {
                    int status = ex.Code switch
                    {
                        "event_not_found" or "endpoint_not_found" => StatusCodes.Status404NotFound,
                        "endpoint_disabled" => StatusCodes.Status409Conflict,
                        _ => StatusCodes.Status400BadRequest,
                    };
                    await ApiResponses.WriteErrorAsync(context, new ApiError(status, ex.Code, ex.Message, ex.Param));
                }
            }))
            .WithSummary("Sends an event again by its id, as new deliveries: to every enabled endpoint of its environment, to one endpoint (endpointId), or once to another address (url; signed with secret/scheme or the environment's first endpoint's). 404 event_not_found or endpoint_not_found, 409 endpoint_disabled.")
            .Accepts<ResendRequestDto>("application/json")
            .Produces<ResendResultDto>();

        sim.MapGet("/webhook-faults", Handler(context => ApiResponses.WriteJsonAsync(context, 200, state.Dispatcher.Faults, SimulatorJsonContext.Default.SimulatorWebhookFaultOptions)))
            .WithSummary("Reads the webhook delivery faults.")
            .Produces<SimulatorWebhookFaultOptions>();

        sim.MapPut("/webhook-faults", Handler(async context =>
            {
                (WebhookFaultsRequestDto? body, ApiError? error) = await ReadAsync(context, state, SimulatorJsonContext.Default.WebhookFaultsRequestDto, required: true);
                if (error is null)
                {
                    try
                    {
                        state.Dispatcher.Faults = body!.ToOptions();
                    }
                    catch (ArgumentException ex)
                    {
                        error = new ApiError(400, "invalid_request", ex.Message, ex.ParamName);
                    }
                }

                if (error is not null)
                {
                    await ApiResponses.WriteErrorAsync(context, error);
                    return;
                }

                await ApiResponses.WriteJsonAsync(context, 200, state.Dispatcher.Faults, SimulatorJsonContext.Default.SimulatorWebhookFaultOptions);
            }))
            .WithSummary("Replaces the webhook delivery faults and reseeds their generator.")
            .Accepts<SimulatorWebhookFaultOptions>("application/json")
            .Produces<SimulatorWebhookFaultOptions>();

        app.MapGet("/pay/{token}", Handler(context => StatusPageAsync(context, state))).ExcludeFromDescription();
    }

    private static async Task TransitionAsync<TBody>(HttpContext context, SimulatorState state, JsonTypeInfo<TBody> typeInfo, Func<string, TBody?, SimulatedPayment> apply)
        where TBody : class
    {
        (TBody? body, ApiError? error) = await ReadAsync(context, state, typeInfo, required: false);
        if (error is not null)
        {
            await ApiResponses.WriteErrorAsync(context, error);
            return;
        }

        string id = (string)context.Request.RouteValues["id"]!;
        try
        {
            SimulatedPayment payment = apply(id, body);
            await ApiResponses.WriteJsonAsync(context, 200, state.Engine.Find(payment.Id)!.Value.Dto, SimulatorJsonContext.Default.PaymentDto);
        }
        catch (SimulatorException ex)
        {
            int status = ex.Code switch
            {
                "payment_not_found" => StatusCodes.Status404NotFound,
                "invalid_transition" => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            await ApiResponses.WriteErrorAsync(context, status, ex.Code, ex.Message);
        }
    }

    private static async Task<(T? Body, ApiError? Error)> ReadAsync<T>(HttpContext context, SimulatorState state, JsonTypeInfo<T> typeInfo, bool required)
        where T : class
    {
        bool hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
        if (!hasBody)
        {
            return required ? (null, new ApiError(400, "invalid_request", "A JSON body is required.")) : (null, null);
        }

        (byte[]? bytes, ApiError? error) = await RequestBodyReader.ReadJsonAsync(context, state.Options.MaxRequestBodyBytes);
        if (error is not null)
        {
            return (null, error);
        }

        if (FindUnknownField(bytes!, typeInfo) is { } unknown)
        {
            string known = string.Join(", ", typeInfo.Properties.Select(p => p.Name));
            return (null, ApiError.Invalid(unknown, $"'{unknown}' is not a field of this call; its fields are {known}."));
        }

        try
        {
            T? value = JsonSerializer.Deserialize(bytes, typeInfo);
            return value is null && required ? (null, new ApiError(400, "invalid_request", "A JSON object is required.")) : (value, null);
        }
        catch (JsonException ex)
        {
            // STJ's own message names .NET types (Kobbopay.Simulator.Internal....): say what is wrong in the body's terms.
            string where = ex.Path is { Length: > 2 } path ? $"'{path[2..]}' has the wrong type or format" : "the body is not a JSON object of this call's fields";
            return (null, new ApiError(400, "invalid_request", $"The request body is not valid for this call: {where} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).", ex.Path is { Length: > 2 } p ? p[2..] : null));
        }
    }

    /// <summary>Finds a top-level field of the body that <paramref name="typeInfo"/> does not have (names match without case, as the binding does).</summary>
    private static string? FindUnknownField<T>(byte[] body, JsonTypeInfo<T> typeInfo)
    {
        Utf8JsonReader reader = new(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                if (!typeInfo.Properties.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    return name;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the deserializer names that.
        }

        return null;
    }

    private static Task WriteClockAsync(HttpContext context, SimulatorState state) =>
        ApiResponses.WriteJsonAsync(context, 200, new ClockDto(Wire.Timestamp(state.Clock.GetUtcNow()), state.Clock.Mode == SimulatorClockMode.Manual ? "manual" : "wall"), SimulatorJsonContext.Default.ClockDto);

    private static async Task StatusPageAsync(HttpContext context, SimulatorState state)
    {
        string token = (string)context.Request.RouteValues["token"]!;
        var found = state.Engine.FindByStatusToken(token);
        if (found is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("No payment page at this address.", context.RequestAborted);
            return;
        }

        PaymentDto p = found.Value.Dto;
        StringBuilder html = new();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Payment status</title></head><body><main>")
            .Append("<h1>Payment ").Append(WebUtility.HtmlEncode(p.Status)).Append("</h1>");
        foreach (string line in StatusPageLines(p))
        {
            html.Append("<p>").Append(line).Append("</p>");
        }

        html.Append("</main></body></html>");
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    /// <summary>What the payer should read for each status: instructions to send only while sending still makes sense.</summary>
    private static IEnumerable<string> StatusPageLines(PaymentDto p)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
        string asset = E(p.Currency);
        decimal amount = decimal.Parse(p.Amount, NumberStyles.Number, CultureInfo.InvariantCulture);
        decimal received = p.AmountReceived is null ? 0 : decimal.Parse(p.AmountReceived, NumberStyles.Number, CultureInfo.InvariantCulture);
        string to = $" on {E(p.Network)} to <code>{E(p.Address)}</code>";
        switch (p.Status)
        {
            case "pending" when received > 0 && received < amount:
                yield return $"Received <b>{E(p.AmountReceived)} {asset}</b> of {E(p.Amount)} {asset}. Send the remaining <b>{(amount - received).ToString(CultureInfo.InvariantCulture)} {asset}</b>{to}.";
                yield return $"Expires at {E(p.ExpiresAt)} (simulated).";
                break;
            case "pending":
                yield return $"Send <b>{E(p.Amount)} {asset}</b>{to}.";
                yield return $"Expires at {E(p.ExpiresAt)} (simulated).";
                break;
            case "paid":
                yield return $"Received <b>{E(p.AmountReceived ?? p.Amount)} {asset}</b>{(p.TxHash is null ? string.Empty : $" (transaction <code>{E(p.TxHash)}</code>)")}. Nothing more to send: waiting for confirmations.";
                break;
            case "confirmed":
                yield return $"Confirmed: <b>{E(p.AmountReceived ?? p.Amount)} {asset}</b> received{(p.Confirmations is { } c ? $" with {c} confirmations" : string.Empty)}. Nothing more to send.";
                break;
            case "expired":
                yield return $"This payment expired at {E(p.ExpiredAt ?? p.ExpiresAt)} (simulated). Do not send funds to this address; contact the merchant for a new payment.";
                break;
            default:
                yield return "Contact the merchant about this payment.";
                break;
        }
    }
}
