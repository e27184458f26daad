using Microsoft.OpenApi;

namespace QwenFunctions.Docs;

/// <summary>
/// Describes one capability's HTTP routes in the OpenAPI document. Each capability keeps its implementation
/// next to its functions (NativeChat/NativeChatOpenApi.cs, Video/VideoOpenApi.cs…) so a route and its description change together.
/// </summary>
public interface IOpenApiContributor
{
    /// <summary>Adds path items (paths are relative to the "/api" server URL) and the component schemas they reference.</summary>
    void Describe(OpenApiPaths paths, OpenApiComponents components);
}
