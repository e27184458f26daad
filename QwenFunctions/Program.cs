using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using QwenFunctions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddQwen(builder.Configuration);
builder.Build().Run();
