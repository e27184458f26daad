using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace QwenFunctions.Telemetry;

/// <summary>
/// The OpenTelemetry SDK, only when there is somewhere to send to: Azure Monitor when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set (metrics and spans; logs keep going through the Functions host, which
/// already sends them to Application Insights), OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is (all signals).
/// </summary>
public static class TelemetryExport
{
    public static void AddTelemetryExport(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = NonEmpty(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        var otlp = NonEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) is not null;
        if (connectionString is null && !otlp)
        {
            return;
        }

        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(QwenMetrics.MeterName))
            .WithTracing(tracing => tracing.AddSource(UpstreamTracing.SourceName));
        if (connectionString is not null)
        {
            var credential = AadCredential(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
            void Configure(AzureMonitorExporterOptions o)
            {
                o.ConnectionString = connectionString;
                o.Credential = credential;
            }

            telemetry
                .WithMetrics(metrics => metrics.AddAzureMonitorMetricExporter(Configure))
                .WithTracing(tracing => tracing.AddAzureMonitorTraceExporter(Configure));
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>
    /// "Authorization=AAD[;ClientId=…]" (how infra/ configures an Application Insights without local auth): export
    /// with the managed identity instead of the connection string's key.
    /// </summary>
    internal static TokenCredential? AadCredential(string? authentication)
    {
        if (authentication is null || !authentication.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var clientId = authentication.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .FirstOrDefault(kv => kv.Length == 2 && kv[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))?[1];
        return new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
