using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Http;

namespace QwenFunctions.Responses;

/// <summary>
/// <c>POST /v1/responses</c>: the request becomes a chat turn for the pipeline, answered in the Responses format, and
/// (unless <c>store:false</c>) kept for GET and for <c>previous_response_id</c>, which continues the same upstream chat.
/// </summary>
public sealed class ResponsesService(ChatResponder responder, IResponseStore store, IOptionsMonitor<ProxyOptions> proxy, TimeProvider time)
{
    public async Task CreateAsync(HttpContext http, ResponsesRequest body, CancellationToken cancellationToken)
    {
        var request = ResponseInputReader.Read(body);
        var owner = HttpPipeline.CallerId(http);
        StoredResponse? previous = null;
        if (request.PreviousResponseId is { } previousId)
        {
            // Unknown, expired, stored by another key or made with store:false: all the same to the caller.
            previous = await store.FindAsync(owner, previousId, cancellationToken) is { Conversation: not null } found
                ? found
                : throw ApiException.BadRequest($"Previous response with id '{previousId}' not found.", "previous_response_id", "previous_response_not_found");
        }

        var format = new ResponsesFormat(request, proxy.CurrentValue.ReasoningOutput != ReasoningOutput.Off, time);
        await responder.RespondAsync(http, ResponseTurnReader.ToTurn(request, previous), format, cancellationToken);

        if (request.Store && format.Completed is { } response && format.Answer is { } answer)
        {
            // Stored after the last event, before the stream closes; the client is not waiting for anything but the close.
            await store.SaveAsync(new StoredResponse(response.Id, owner, time.GetUtcNow(),
                JsonSerializer.Serialize(response, ApiJson.Options),
                new JsonArray([.. request.StoredItems.Select(i => i.DeepClone())]).ToJsonString(),
                new ResponseConversation(answer.ChatId, answer.ResponseId)), CancellationToken.None);
        }
    }
}
