using System.Text.Json;

namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>Assertions on the contract's error body and headers.</summary>
internal static class ApiAssert
{
    /// <summary>The header a replayed create carries (<c>true</c>); a create that made the payment has none.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Checks a create that made a new payment: 201 and no replay header.</summary>
    public static void ShouldBeFreshlyCreated(this ApiResponse response)
    {
        response.Status.ShouldBe(201, response.Body);
        response.Header(ReplayedHeader).ShouldBeNull();
    }

    /// <summary>Checks a replayed create: 201, the replay header, and the first answer's body byte for byte.</summary>
    public static void ShouldBeReplayOf(this ApiResponse replay, ApiResponse first)
    {
        replay.Status.ShouldBe(201, replay.Body);
        replay.Header(ReplayedHeader).ShouldBe("true");
        replay.Body.ShouldBe(first.Body);
    }

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

    /// <summary>Checks a list answer with nothing in it: 200, a request id, no data and a null cursor.</summary>
    public static void ShouldBeTheEmptyPage(this ApiResponse response)
    {
        response.Status.ShouldBe(200, response.Body);
        response.ShouldHaveRequestId();
        response.Json.Items("data").ShouldBeEmpty();
        response.Json.Prop("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
