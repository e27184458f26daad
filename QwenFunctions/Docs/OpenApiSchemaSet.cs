using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace QwenFunctions.Docs;

/// <summary>
/// Component schemas generated from the real body types by JsonSchemaExporter, under the options the app serializes
/// them with. Each class or record of this app is one named component, referenced wherever it appears; descriptions
/// are the XML doc comments of the types and their properties.
/// </summary>
internal sealed partial class OpenApiSchemaSet(OpenApiDocument host)
{
    private static readonly Assembly App = typeof(OpenApiSchemaSet).Assembly;

    private readonly Dictionary<string, (Type Type, string Json)> _registered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XElement> _docs = LoadDocs();

    public SortedDictionary<string, IOpenApiSchema> Components { get; } = new(StringComparer.Ordinal);

    /// <summary>A $ref to the type's component (made on first use), or an inline schema for framework types.</summary>
    public IOpenApiSchema For(Type type, JsonSerializerOptions options)
    {
        if (!IsComponent(type))
        {
            return Parse(Export(type, options, []));
        }

        Register(type, options);
        return new OpenApiSchemaReference(type.Name, host);
    }

    private void Register(Type type, JsonSerializerOptions options)
    {
        var nested = new List<Type>();
        var node = Export(type, options, nested);
        var json = node.ToJsonString();
        if (_registered.TryGetValue(type.Name, out var seen))
        {
            // One component per name: two types of one name, or one type whose wire names differ by route, can't share it.
            if (seen.Type != type)
            {
                throw new InvalidOperationException($"Two body types are named {type.Name}: {seen.Type} and {type}.");
            }

            if (seen.Json != json)
            {
                throw new InvalidOperationException($"{type} has different schemas under two JsonSerializerOptions.");
            }

            return;
        }

        _registered[type.Name] = (type, json);
        if (Summary("T:" + Id(type)) is { } description)
        {
            node["description"] = description;
        }

        Components[type.Name] = Parse(node);
        foreach (var child in nested)
        {
            Register(child, options);
        }
    }

    private JsonNode Export(Type type, JsonSerializerOptions options, List<Type> nested) =>
        JsonSchemaExporter.GetJsonSchemaAsNode(ExportOptions(options), type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                var current = context.TypeInfo.Type;
                if (context.Path.Length > 0 && context.BaseTypeInfo is null && IsComponent(current))
                {
                    nested.Add(current);
                    node = new JsonObject { ["$ref"] = "#/components/schemas/" + current.Name };
                }
                else if (current == typeof(byte[]))
                {
                    // Only upload forms declare bytes: a multipart file part.
                    node = new JsonObject { ["type"] = "string", ["format"] = "binary" };
                }
                else if (node is not JsonObject)
                {
                    node = new JsonObject(); // `true`: any JSON (JsonElement fields that take several shapes)
                }

                // Get-only members (`object: "list"`, `success: true`) are written on every answer.
                if (context.PropertyInfo is null && node is JsonObject schema && schema["properties"] is JsonObject
                    && context.TypeInfo.Properties.Where(p => p is { Get: not null, Set: null, ShouldSerialize: null }).Select(p => p.Name).ToList() is { Count: > 0 } always)
                {
                    var required = schema["required"] as JsonArray ?? (JsonArray)(schema["required"] = new JsonArray());
                    foreach (var name in always.Where(n => !required.Any(r => r?.GetValue<string>() == n)))
                    {
                        required.Add(name);
                    }
                }

                if (context.PropertyInfo is { DeclaringType: var declaring } property && PropertySummary(declaring, property) is { } description)
                {
                    node["description"] = description;
                }

                return node;
            },
        });

    // Numbers are documented as numbers: reading "1" as 1 (JsonSerializerDefaults.Web) is leniency, not the contract.
    private static JsonSerializerOptions ExportOptions(JsonSerializerOptions options) => new(options)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        TypeInfoResolver = options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver(),
    };

    private IOpenApiSchema Parse(JsonNode schema)
    {
        var parsed = OpenApiModelFactory.Parse<OpenApiSchema>(schema.ToJsonString(), OpenApiSpecVersion.OpenApi3_1, host, out var diagnostic, "json");
        return parsed is not null && diagnostic?.Errors is not { Count: > 0 }
            ? parsed
            : throw new InvalidOperationException($"Generated schema does not read as OpenAPI: {schema.ToJsonString()}");
    }

    private static bool IsComponent(Type type) => type.Assembly == App && type.IsClass && !type.IsGenericType;

    private static string Id(Type type) => type.FullName!.Replace('+', '.');

    // Records document their properties as <param> of the type.
    private string? PropertySummary(Type declaring, JsonPropertyInfo property)
    {
        var name = (property.AttributeProvider as MemberInfo)?.Name ?? property.Name;
        return Summary($"P:{Id(declaring)}.{name}")
            ?? Render(_docs.GetValueOrDefault("T:" + Id(declaring))?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name));
    }

    private string? Summary(string member) => Render(_docs.GetValueOrDefault(member)?.Element("summary"));

    private static string? Render(XElement? element) =>
        element is null ? null : Whitespace().Replace(string.Concat(element.Nodes().Select(Text)), " ").Trim() is { Length: > 0 } text ? text : null;

    private static string Text(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see => (string?)see.Attribute("langword") ?? ((string?)see.Attribute("cref"))?.Split('.', ':')[^1] ?? see.Value,
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => (string?)reference.Attribute("name") ?? "",
        XElement element => string.Concat(element.Nodes().Select(Text)),
        _ => "",
    };

    // The build writes the XML doc file next to the assembly (GenerateDocumentationFile); without it, no descriptions.
    private static Dictionary<string, XElement> LoadDocs()
    {
        var path = Path.ChangeExtension(App.Location, ".xml");
        return File.Exists(path)
            ? XDocument.Load(path).Descendants("member").Where(m => m.Attribute("name") is not null).ToDictionary(m => (string)m.Attribute("name")!, StringComparer.Ordinal)
            : [];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
