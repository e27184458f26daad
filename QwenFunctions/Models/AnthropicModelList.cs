using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using QwenFunctions.Http;

namespace QwenFunctions.Models;

/// <summary>
/// The model list in the Anthropic Models API's shape, which Anthropic SDKs and Claude Code decode from the same
/// <c>/v1/models</c> route OpenAI clients use (they are told apart by the anthropic-version header they always send).
/// Pages by <c>limit</c> / <c>after_id</c> / <c>before_id</c> like Anthropic; the SDK follows <c>last_id</c> while
/// <c>has_more</c>.
/// </summary>
public static class AnthropicModelList
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 1000;

    public static bool IsWanted(HttpRequest request) => request.Headers.ContainsKey(RouteFamily.AnthropicVersionHeader);

    public static Page List(IReadOnlyList<CatalogEntry> entries, IQueryCollection query)
    {
        var limit = DefaultLimit;
        if (query["limit"].FirstOrDefault() is { Length: > 0 } raw
            && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            throw ApiException.BadRequest($"limit: must be an integer between 1 and {MaxLimit}.", "limit");
        }

        var models = entries.Select(Info).ToList();
        IEnumerable<ModelInfo> window = models;
        if (query["after_id"].FirstOrDefault() is { Length: > 0 } after)
        {
            window = models.Skip(IndexOf(models, after, "after_id") + 1).Take(limit);
        }
        else if (query["before_id"].FirstOrDefault() is { Length: > 0 } before)
        {
            var end = IndexOf(models, before, "before_id");
            window = models.Take(end).TakeLast(limit);
        }
        else
        {
            window = models.Take(limit);
        }

        var page = window.ToList();
        var hasMore = page.Count > 0 && (query.ContainsKey("before_id")
            ? models.IndexOf(page[0]) > 0
            : models.IndexOf(page[^1]) < models.Count - 1);
        return new Page(page, hasMore, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id);
    }

    public static ModelInfo Info(CatalogEntry entry) =>
        new(entry.Id, entry.Id, DateTimeOffset.FromUnixTimeSeconds(entry.Created).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private static int IndexOf(List<ModelInfo> models, string id, string param)
    {
        var index = models.FindIndex(m => m.Id == id);
        return index >= 0 ? index : throw ApiException.BadRequest($"{param}: no model '{id}' in the list.", param);
    }

    public sealed record Page(
        [property: JsonPropertyName("data")] IReadOnlyList<ModelInfo> Data,
        [property: JsonPropertyName("has_more")] bool HasMore,
        [property: JsonPropertyName("first_id")] string? FirstId,
        [property: JsonPropertyName("last_id")] string? LastId);

    public sealed record ModelInfo(
        [property: JsonPropertyName("id"), JsonPropertyOrder(-1)] string Id,
        [property: JsonPropertyName("display_name")] string DisplayName,
        [property: JsonPropertyName("created_at")] string CreatedAt)
    {
        [JsonPropertyName("type")]
        [JsonPropertyOrder(-2)]
        public string Type => "model";
    }
}
