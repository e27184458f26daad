using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace QwenFunctions.Http;

/// <summary>
/// JSON that parses but does not fit the request's shape in a way System.Text.Json lets through: a null where the
/// body holds a list of objects (<c>"messages":[null]</c>). Checked once, where bodies are read, so no surface meets a
/// null it never expected; the answer is a 400 naming the place (<c>messages[0]</c>).
/// </summary>
internal static class JsonShape
{
    private const int MaxDepth = 16;

    /// <summary>The JSON path of the first null list element in <paramref name="value"/>, or null when there is none.</summary>
    public static string? FindNullElement(object? value, JsonSerializerOptions options) => Find(value, options, "", 0);

    private static string? Find(object? value, JsonSerializerOptions options, string path, int depth)
    {
        if (value is null or string or JsonElement or JsonNode || depth > MaxDepth || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return null;
        }

        if (value is IList list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var element = list[i];
                var at = $"{path}[{i}]";
                if (element is null)
                {
                    return at;
                }

                if (Find(element, options, at, depth + 1) is { } nested)
                {
                    return nested;
                }
            }

            return null;
        }

        // Only the app's own request types are walked; anything else (dictionaries, framework types) is left as bound.
        var type = value.GetType();
        if (type.Assembly != typeof(JsonShape).Assembly)
        {
            return null;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // Bound properties only (settable or init): computed ones are the DTO's own logic, not the client's JSON.
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null || property.SetMethod is null
                || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                ?? options.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name;
            if (Find(property.GetValue(value), options, path.Length == 0 ? name : $"{path}.{name}", depth + 1) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
