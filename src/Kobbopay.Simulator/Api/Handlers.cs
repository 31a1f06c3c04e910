using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.Internal;

internal static class Handlers
{
    /// <summary>
    /// Passes a handler as a <see cref="Delegate"/>, so it is mapped as a route handler (which the
    /// OpenAPI document describes) rather than as a bare <see cref="RequestDelegate"/> (which it skips).
    /// </summary>
    public static Delegate Handler(Func<HttpContext, Task> handler) => handler;
}
