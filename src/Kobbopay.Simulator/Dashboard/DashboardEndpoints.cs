using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using static Kobbopay.Simulator.Internal.Handlers;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The dashboard at <c>/_sim/ui</c>: its static shell (public) and the data it reads (under the admin token, like the
/// rest of <c>/_sim</c>): payments of every environment, and one payment with its events and deliveries. The page polls
/// the change fingerprint (<see cref="DashboardVersion"/>, answered at the edge) about once a second: the engine's
/// pipeline answers into a buffer that WireMock writes once, so server-sent events cannot stream through it.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>The default and largest <c>limit</c> of <c>GET /_sim/payments</c>.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest <c>limit</c> of <c>GET /_sim/payments</c>.</summary>
    public const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder app, SimulatorState state)
    {
        foreach (string path in DashboardAssets.Paths)
        {
            app.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], Handler(DashboardAssets.WriteAsync)).ExcludeFromDescription();
        }

        RouteGroupBuilder sim = app.MapGroup("/_sim").WithTags("Simulator control");

        sim.MapGet("/payments", Handler(context =>
            {
                IQueryCollection query = context.Request.Query;
                string? status = null;
                int limit = DefaultLimit;
                ApiError? error = null;
                if (query.TryGetValue("status", out var statuses))
                {
                    status = statuses.Count == 1 ? statuses[0] : null;
                    if (status is null || !PaymentStatuses.IsKnown(status))
                    {
                        error = ApiError.Invalid("status", "status must be one of pending, paid, confirmed, expired.");
                    }
                }

                if (error is null && query.TryGetValue("limit", out var limits)
                    && (limits.Count != 1 || !int.TryParse(limits[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
                {
                    error = ApiError.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
                }

                if (error is not null)
                {
                    return ApiResponses.WriteErrorAsync(context, error);
                }

                List<DashboardPaymentDto> items = [.. state.Engine.ListAcrossEnvironments(status, limit).Select(p => new DashboardPaymentDto(p.Environment, p.Dto))];
                return WriteAsync(context, new DashboardPaymentsDto(items), DashboardJsonContext.Default.DashboardPaymentsDto);
            }))
            .WithSummary($"Lists the newest payments of every environment, newest first (status: only that status; limit: 1 to {MaxLimit}, default {DefaultLimit}).")
            .Produces<DashboardPaymentsDto>();

        sim.MapGet("/payments/{id}", Handler(context =>
            {
                string id = (string)context.Request.RouteValues["id"]!;
                if (state.Engine.FindWithEvents(id) is not { } found)
                {
                    return ApiResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, "payment_not_found", "No payment has that id.");
                }

                List<SimulatedDelivery> deliveries = [.. state.Dispatcher.Deliveries.Where(d => d.PaymentId == found.Dto.Id)];
                return WriteAsync(context, new DashboardPaymentDetailDto(found.Environment, found.Dto, found.Events, deliveries), DashboardJsonContext.Default.DashboardPaymentDetailDto);
            }))
            .WithSummary("Reads a payment of any environment with its events and its webhook deliveries (each with its attempts), oldest first.")
            .Produces<DashboardPaymentDetailDto>();
    }

    private static Task WriteAsync<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        context.Response.Headers.CacheControl = "no-store";
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, value, typeInfo);
    }
}
