using Kobbopay.Shared.Options;

namespace Kobbopay.Sdk.Internal;

/// <summary>Requires the gateway's address: absolute, and https unless it is a loopback address (the simulator).</summary>
internal sealed class GatewayAddressAttribute : SettingRuleAttribute
{
    /// <inheritdoc/>
    protected override string? Check(object? value) => value switch
    {
        null => "is required: the gateway address from your environment's integration materials.",
        Uri { IsAbsoluteUri: false } => "must be an absolute URI.",
        Uri uri when uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback) => null,
        Uri uri => $"must use https (plain http is allowed only for a loopback address such as the simulator); it is {uri.GetLeftPart(UriPartial.Authority)}.",
        _ => "must be a URI.",
    };
}
