using System.Net;
using Microsoft.OpenApi;

namespace QwenFunctions.Docs;

// The attributes of Microsoft.Azure.Functions.Worker.Extensions.OpenApi (names, arguments, properties), which is not on
// our package mirror; OpenApiDocumentProvider reads them off the [Function] methods. Bodies are real types: their
// schemas come from System.Text.Json, so a changed DTO changes the document.

/// <summary>Marks a function as an OpenAPI operation; a function without it fails the route-coverage test.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OpenApiOperationAttribute(string operationId, params string[] tags) : Attribute
{
    public string OperationId => operationId;
    public string[] Tags => tags;
    public string? Summary { get; set; }
    public string? Description { get; set; }

    /// <summary>For the seed's unversioned twin of a /v1 route: every other attribute (and the summary and description, unless given) comes from this method of the same class.</summary>
    public string? SameAs { get; set; }
}

/// <summary>A path (default; always required), query or header parameter.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OpenApiParameterAttribute(string name) : Attribute
{
    public string Name => name;
    public string? Description { get; set; }
    public Type Type { get; set; } = typeof(string);
    public ParameterLocation In { get; set; } = ParameterLocation.Path;
    public bool Required { get; set; }
}

/// <summary>One content type of the request body; the first attribute's Description and Required hold for the body.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OpenApiRequestBodyAttribute(string contentType, Type bodyType) : Attribute
{
    public string ContentType => contentType;
    public Type BodyType => bodyType;
    public string? Description { get; set; }
    public bool Required { get; set; } = true;
}

/// <summary>
/// A response body. For <c>text/event-stream</c> the body type is the JSON of one event: the stream is described as text
/// (Description, Example) and the event type becomes a component schema.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OpenApiResponseWithBodyAttribute(HttpStatusCode statusCode, string contentType, Type bodyType) : Attribute
{
    public HttpStatusCode StatusCode => statusCode;
    public string ContentType => contentType;
    public Type BodyType => bodyType;
    public string? Description { get; set; }
    public string? Example { get; set; }
}

[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OpenApiResponseWithoutBodyAttribute(HttpStatusCode statusCode) : Attribute
{
    public HttpStatusCode StatusCode => statusCode;
    public string? Description { get; set; }
}

/// <summary>A response header (the extension takes a header type; one attribute per header reads better here).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OpenApiResponseHeaderAttribute(HttpStatusCode statusCode, string name, string description) : Attribute
{
    public HttpStatusCode StatusCode => statusCode;
    public string Name => name;
    public string Description => description;
}

/// <summary>
/// Error responses in the route's vocabulary (<see cref="OpenApiErrors.Of"/>); Description replaces the statuses' usual one.
/// 401 and the client limit's 429 need no attribute: they are added wherever the pipeline answers them.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OpenApiErrorsAttribute(params HttpStatusCode[] statusCodes) : Attribute
{
    public HttpStatusCode[] StatusCodes => statusCodes;
    public string? Description { get; set; }
}

/// <summary>
/// The JsonSerializerOptions bodies are written with, so schema property names are the wire names: the static field or
/// property <paramref name="member"/> of <paramref name="holder"/>. Looked up on the body type, the class it is nested
/// in, the function, then the function's class; without it, <see cref="System.Text.Json.JsonSerializerOptions.Web"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class OpenApiJsonOptionsAttribute(Type holder, string member) : Attribute
{
    public Type Holder => holder;
    public string Member => member;
}
