using System.Text.Json.Nodes;
using QwenFunctions.Http;

namespace QwenFunctions.Responses;

/// <summary>GET, DELETE and input_items of stored responses. Another key's response is as unknown as a missing one.</summary>
public sealed class StoredResponses(IResponseStore store)
{
    private const int DefaultLimit = 20;

    public async Task<StoredResponse> GetAsync(string owner, string id, CancellationToken cancellationToken) =>
        await store.FindAsync(owner, id, cancellationToken) ?? throw NotFound(id);

    public async Task DeleteAsync(string owner, string id, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(owner, id, cancellationToken))
        {
            throw NotFound(id);
        }
    }

    /// <summary>The response's input items, newest first unless <paramref name="order"/> is asc, paged after an item id.</summary>
    public async Task<JsonObject> ListInputItemsAsync(string owner, string id, string? after, int? limit, string? order, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100)
        {
            throw ApiException.BadRequest("'limit' must be between 1 and 100.", "limit");
        }

        if (order is not (null or "asc" or "desc"))
        {
            throw ApiException.BadRequest("'order' must be 'asc' or 'desc'.", "order");
        }

        var stored = await GetAsync(owner, id, cancellationToken);
        var items = (JsonNode.Parse(stored.InputItemsJson) as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (order != "asc")
        {
            items.Reverse();
        }

        if (after is { Length: > 0 })
        {
            var index = items.FindIndex(i => (string?)i["id"] == after);
            items = index < 0 ? [] : items[(index + 1)..];
        }

        var page = items.Take(limit ?? DefaultLimit).Select(i => i.DeepClone()).ToList();
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. page]),
            ["first_id"] = page.Count > 0 ? (string?)page[0]!["id"] : null,
            ["last_id"] = page.Count > 0 ? (string?)page[^1]!["id"] : null,
            ["has_more"] = items.Count > page.Count,
        };
    }

    public static ApiException NotFound(string id) => ApiException.NotFound($"Response with id '{id}' not found.", "response_not_found");
}

/// <param name="Object">response.deleted</param>
public sealed record ResponseDeleted(string Id, string Object, bool Deleted);
