namespace QwenFunctions.Http;

/// <summary>
/// Every HTTP route of the app, relative to the route prefix. The trigger attributes, the API-key gate, the route
/// families, the video status URLs and the OpenAPI document all read them here, so a route cannot drift between them.
/// </summary>
public static class Routes
{
    /// <summary>host.json extensions.http.routePrefix; a test keeps the two in step.</summary>
    public const string Prefix = "api";

    /// <summary>OpenAI SDKs put /v1 in the base URL; routes under it speak OpenAI (or Anthropic) errors.</summary>
    public const string V1 = "v1";

    public const string Health = "health";
    public const string Status = "status";

    public const string Chats = "chats";
    public const string Chat = "chat";
    public const string ChatCompletions = Chat + "/completions";
    public const string ChatCompletionsV1 = V1 + "/" + ChatCompletions;

    public const string Messages = V1 + "/messages";
    public const string MessagesCountTokens = Messages + "/count_tokens";

    public const string Responses = "responses";
    public const string Response = Responses + "/{id}";
    public const string ResponseInputItems = Response + "/input_items";
    public const string ResponsesV1 = V1 + "/" + Responses;
    public const string ResponseV1 = V1 + "/" + Response;
    public const string ResponseInputItemsV1 = V1 + "/" + ResponseInputItems;

    public const string Models = "models";
    public const string Model = Models + "/{id}";
    public const string ModelsV1 = V1 + "/" + Models;
    public const string ModelV1 = V1 + "/" + Model;

    public const string Images = "images";
    public const string ImageGenerations = Images + "/generations";
    public const string ImageGenerationsV1 = V1 + "/" + ImageGenerations;

    public const string Files = "files";
    public const string FilesUpload = Files + "/upload";
    public const string FilesStsToken = Files + "/getstsToken";
    public const string FilesV1 = V1 + "/" + Files;

    public const string Videos = "videos";
    public const string Video = Videos + "/{id}";
    public const string VideoContent = Video + "/content";
    public const string VideosV1 = V1 + "/" + Videos;
    public const string VideoV1 = V1 + "/" + Video;
    public const string VideoContentV1 = V1 + "/" + VideoContent;
    public const string Tasks = "tasks";
    public const string TaskStatus = Tasks + "/status/{id}";

    public const string OpenApi = "openapi";
    public const string OpenApiDocument = OpenApi + "/v3.json";
    public const string Swagger = "swagger";
    public const string SwaggerDocument = Swagger + ".json";
    public const string SwaggerUi = Swagger + "/ui";
    public const string SwaggerUiAsset = SwaggerUi + "/{asset}";

    /// <summary>The request path of a route: "/api/videos/{id}".</summary>
    public static string PathOf(string route) => "/" + Prefix + "/" + route;

    /// <summary>The request path of a route with its {id} filled in: "/api/videos/vid_1".</summary>
    public static string PathOf(string route, string id) => PathOf(route.Replace("{id}", id, StringComparison.Ordinal));

    /// <summary>The route as an OpenAPI path, relative to the document's "/api" server URL: "/videos/{id}".</summary>
    public static string DocumentPath(string route) => "/" + route;
}
