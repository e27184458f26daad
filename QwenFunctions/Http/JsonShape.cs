using System.Collections;
using System.Collections.Concurrent;
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

    // What each request type's bound properties are called on the wire, per serializer options: reflected once,
    // not on every request body.
    private static readonly ConcurrentDictionary<(Type, JsonSerializerOptions), BoundProperty[]> Properties = new();

    /// <summary>The JSON path of the first null list element in <paramref name="value"/>, or null when there is none.</summary>
    public static string? FindNullElement(object? value, JsonSerializerOptions options) => Find(value, options, 0);

    /// <summary>The path below <paramref name="value"/> (<c>[0]</c>, <c>messages[0]</c>), built only once a null is found.</summary>
    private static string? Find(object? value, JsonSerializerOptions options, int depth)
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
                if (element is null)
                {
                    return $"[{i}]";
                }

                if (Find(element, options, depth + 1) is { } nested)
                {
                    return Join($"[{i}]", nested);
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

        foreach (var property in Properties.GetOrAdd((type, options), static key => Reflect(key.Item1, key.Item2)))
        {
            if (Find(property.Info.GetValue(value), options, depth + 1) is { } found)
            {
                return Join(property.Name, found);
            }
        }

        return null;
    }

    private static string Join(string at, string nested) => nested.StartsWith('[') ? at + nested : $"{at}.{nested}";

    private static BoundProperty[] Reflect(Type type, JsonSerializerOptions options) =>
    [
        .. from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
           // Bound properties only (settable or init): computed ones are the DTO's own logic, not the client's JSON.
           where property.GetIndexParameters().Length == 0 && property.GetMethod is not null && property.SetMethod is not null
                 && property.GetCustomAttribute<JsonIgnoreAttribute>() is null && !CannotHoldAList(property.PropertyType)
           select new BoundProperty(property, property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
               ?? options.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name),
    ];

    // Numbers, flags, enums and raw JSON never hold a list; skipping them also saves boxing their values.
    private static bool CannotHoldAList(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(decimal) || underlying == typeof(JsonElement) || underlying == typeof(string);
    }

    private sealed record BoundProperty(PropertyInfo Info, string Name);
}
