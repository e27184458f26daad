using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using QwenFunctions;
using QwenFunctions.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<HttpPipelineMiddleware>();
builder.Services.AddQwen(builder.Configuration);
builder.Build().Run();
