using System.Text.Json;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>Assertions on the contract's error body and headers.</summary>
internal static class ApiAssert
{
    /// <summary>Checks the request id header: present and <c>req_</c>-prefixed.</summary>
    public static string ShouldHaveRequestId(this ApiResponse response)
    {
        var requestId = response.RequestId;
        requestId.ShouldNotBeNull($"no x-request-id on {response}");
        requestId.ShouldStartWith("req_");
        return requestId;
    }

    /// <summary>Checks status, the error body shape, the code and that <c>requestId</c> repeats the header; the param is not checked.</summary>
    public static JsonElement ShouldBeError(this ApiResponse response, int status, string code)
    {
        response.Status.ShouldBe(status, response.Body);
        var requestId = response.ShouldHaveRequestId();
        var error = response.Json.Prop("error");
        error.ValueKind.ShouldBe(JsonValueKind.Object);
        error.Str("code").ShouldBe(code, response.Body);
        error.Str("message").ShouldNotBeNullOrWhiteSpace();
        error.Prop("param").ValueKind.ShouldBeOneOf(JsonValueKind.String, JsonValueKind.Null);
        error.Str("requestId").ShouldBe(requestId);
        return error;
    }

    /// <summary>As <see cref="ShouldBeError(ApiResponse, int, string)"/>, and the param is exactly <paramref name="param"/>.</summary>
    public static JsonElement ShouldBeError(this ApiResponse response, int status, string code, string? param)
    {
        var error = response.ShouldBeError(status, code);
        error.Str("param").ShouldBe(param, response.Body);
        return error;
    }
}
