namespace QwenFunctions.Docs;

/// <summary>
/// The Swagger UI page. Every URL in it is relative so it keeps working behind any path prefix
/// (a gateway's X-Forwarded-Prefix, a custom route prefix) without trusting headers.
/// </summary>
public static class SwaggerUiPage
{
    /// <summary>Served at /api/swagger/ui and /api/swagger/ui/: the two resolve relative URLs from different folders.</summary>
    public static string Render(string requestPath)
    {
        var inUiFolder = requestPath.EndsWith('/');
        var assets = inUiFolder ? "./" : "ui/";
        var document = inUiFolder ? "../../openapi/v3.json" : "../openapi/v3.json";
        return Template.Replace("{assets}", assets, StringComparison.Ordinal).Replace("{document}", document, StringComparison.Ordinal);
    }

    // validatorUrl:null keeps the page from calling validator.swagger.io: it must work with no internet.
    private const string Template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>QwenFunctions API</title>
          <link rel="stylesheet" href="{assets}swagger-ui.css">
          <link rel="stylesheet" href="{assets}index.css">
          <link rel="icon" type="image/png" href="{assets}favicon-32x32.png" sizes="32x32">
          <link rel="icon" type="image/png" href="{assets}favicon-16x16.png" sizes="16x16">
        </head>
        <body>
          <div id="swagger-ui"></div>
          <script src="{assets}swagger-ui-bundle.js" charset="utf-8"></script>
          <script>
            window.onload = function () {
              window.ui = SwaggerUIBundle({
                url: new URL("{document}", window.location.href).href,
                dom_id: "#swagger-ui",
                presets: [SwaggerUIBundle.presets.apis],
                layout: "BaseLayout",
                deepLinking: true,
                displayRequestDuration: true,
                validatorUrl: null
              });
            };
          </script>
        </body>
        </html>
        """;
}
