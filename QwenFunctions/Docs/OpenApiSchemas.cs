using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace QwenFunctions.Docs;

/// <summary>Terse builders for the JSON schemas the contributors write by hand.</summary>
public static class OpenApiSchemas
{
    public static OpenApiSchema String(string? description = null, string? format = null, bool nullable = false) =>
        new() { Type = Nullable(JsonSchemaType.String, nullable), Description = description, Format = format };

    public static OpenApiSchema Enum(string? description, params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
    };

    /// <summary>A string that always has this one value (OpenAI's "object" discriminators).</summary>
    public static OpenApiSchema Constant(string value) => Enum(null, value);

    public static OpenApiSchema Integer(string? description = null, bool nullable = false, string format = "int64") =>
        new() { Type = Nullable(JsonSchemaType.Integer, nullable), Format = format, Description = description };

    public static OpenApiSchema Number(string? description = null, string? minimum = null, string? maximum = null) =>
        new() { Type = JsonSchemaType.Number, Description = description, Minimum = minimum, Maximum = maximum };

    public static OpenApiSchema Boolean(string? description = null) => new() { Type = JsonSchemaType.Boolean, Description = description };

    public static OpenApiSchema Binary(string? description = null) =>
        new() { Type = JsonSchemaType.String, Format = "binary", Description = description };

    public static OpenApiSchema Array(IOpenApiSchema items, string? description = null, int? minItems = null) =>
        new() { Type = JsonSchemaType.Array, Items = items, Description = description, MinItems = minItems };

    /// <summary>An object with the given properties; unknown properties are allowed unless <paramref name="closed"/>.</summary>
    public static OpenApiSchema Object(
        IDictionary<string, IOpenApiSchema> properties, string[]? required = null, string? description = null, bool nullable = false, bool closed = false) => new()
    {
        Type = Nullable(JsonSchemaType.Object, nullable),
        Description = description,
        Properties = properties,
        Required = required is null ? null : new HashSet<string>(required),
        AdditionalPropertiesAllowed = !closed,
    };

    /// <summary>Any JSON object (upstream payloads we pass through unchanged).</summary>
    public static OpenApiSchema FreeForm(string? description = null) =>
        new() { Type = JsonSchemaType.Object, Description = description, AdditionalPropertiesAllowed = true };

    public static OpenApiSchema OneOf(string? description, params IOpenApiSchema[] choices) =>
        new() { Description = description, OneOf = choices.ToList() };

    public static IOpenApiSchema Ref(string componentName) => new OpenApiSchemaReference(componentName);

    /// <summary>Registers a named component schema and returns a $ref to it; two contributors using one name is a bug.</summary>
    public static IOpenApiSchema Define(this OpenApiComponents components, string name, OpenApiSchema schema)
    {
        components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!components.Schemas.TryAdd(name, schema))
        {
            throw new InvalidOperationException($"OpenAPI schema '{name}' is defined twice; use DefineShared for schemas capabilities share.");
        }

        return Ref(name);
    }

    /// <summary>For a schema several capabilities use on purpose (e.g. the model list on /models and /v1/models).</summary>
    public static IOpenApiSchema DefineShared(this OpenApiComponents components, string name, Func<OpenApiSchema> create)
    {
        components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!components.Schemas.ContainsKey(name))
        {
            components.Schemas[name] = create();
        }

        return Ref(name);
    }

    private static JsonSchemaType Nullable(JsonSchemaType type, bool nullable) => nullable ? type | JsonSchemaType.Null : type;
}
