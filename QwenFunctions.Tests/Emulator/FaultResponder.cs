using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

/// <summary>Writes the error responses of <see cref="Fault"/>s. Stream-shaping faults are left to the stream writer.</summary>
internal static class FaultResponder
{
    public static async Task<bool> TryRespondAsync(EmulatorRequest r, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                await RespondAsync(r, fault, EmulatorJson.RateLimited(r.RequestId, fault.Num), 429);
                return true;
            case FaultKind.Unauthorized:
                await RespondAsync(r, fault, EmulatorJson.Failure(r.RequestId, "Unauthorized", "Token has expired or is invalid."), 401);
                return true;
            case FaultKind.ErrorEnvelope:
                await RespondAsync(r, fault, EmulatorJson.Failure(r.RequestId, fault.Code ?? "Bad_Request", fault.Details ?? ""), fault.StatusCode);
                return true;
            case FaultKind.WafJson:
                await RespondAsync(r, fault, EmulatorJson.WafJson(), 200);
                return true;
            case FaultKind.WafHtml:
                await r.WriteTextAsync(EmulatorJson.WafHtml, "text/html; charset=utf-8", fault.StatusCode);
                return true;
            case FaultKind.DataInspectionFailed:
                await RespondAsync(r, fault, EmulatorJson.StreamError("data_inspection_failed", fault.Details!), 200);
                return true;
            case FaultKind.InternalError when fault.Code is not null:
                var tagged = EmulatorJson.StreamError(fault.Code, fault.Details ?? "");
                tagged["response_id"] = Guid.NewGuid().ToString();
                tagged["response_index"] = 0;
                await RespondAsync(r, fault, tagged, 200);
                return true;
            case FaultKind.InternalError:
                await RespondAsync(r, fault, new JsonObject { ["error"] = "Internal error!" }, 200);
                return true;
            case FaultKind.InvalidInput:
                await RespondAsync(r, fault, EmulatorJson.StreamError("invalid_input", fault.Details!), 200);
                return true;
            case FaultKind.HttpStatus:
                await r.WriteTextAsync(fault.Details ?? $"{{\"detail\":\"Upstream error {fault.StatusCode}\"}}", fault.ContentType, fault.StatusCode);
                return true;
            case FaultKind.EmptyStream:
                await r.BeginEventStreamAsync();
                if (fault.IncludeCreated && r.Json is not null)
                    await r.WriteEventAsync(Created(EmulatorJson.GetString(r.Json, "chat_id") ?? "", Guid.NewGuid().ToString(), Guid.NewGuid().ToString()));
                return true;
            case FaultKind.ResetConnection:
                r.Http.Abort();
                return true;
            default:
                return false; // None (modifiers only), cut, stall, malformed event and video failure shape a normal response.
        }
    }

    public static JsonObject Created(string chatId, string parentId, string responseId) =>
        new()
        {
            ["response.created"] = new JsonObject
            {
                ["chat_id"] = chatId, ["parent_id"] = parentId, ["response_id"] = responseId, ["response_index"] = "0",
            },
        };

    private static async Task RespondAsync(EmulatorRequest r, Fault fault, JsonObject body, int realStatus)
    {
        if (fault.InStream)
        {
            await r.BeginEventStreamAsync();
            await r.WriteEventAsync(body);
        }
        else if (fault.AsHttpStatus)
        {
            await r.WriteJsonAsync(body, realStatus, realStatus);
        }
        else
        {
            await r.WriteJsonAsync(body, 200, realStatus);
        }
    }
}
