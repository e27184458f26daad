using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using QwenFunctions.Configuration;

namespace QwenFunctions.State;

/// <summary>
/// Which table service holds the shared state: State:ConnectionString or State:ServiceUri when set, else the app's
/// AzureWebJobsStorage (a connection string, or identity-based via __tableServiceUri / __accountName + __credential).
/// </summary>
public sealed class StateConnection(string description, Func<TableClientOptions, TableServiceClient> createClient)
{
    private const string HostStorage = "AzureWebJobsStorage";

    /// <summary>Where the connection came from ("AzureWebJobsStorage (identity)"…), never the connection itself.</summary>
    public string Description { get; } = description;

    public TableServiceClient CreateClient(TableClientOptions options) => createClient(options);

    /// <summary>Null when no storage is configured (state stays in memory).</summary>
    public static StateConnection? Resolve(IConfiguration configuration)
    {
        var state = configuration.GetSection(StateOptions.SectionName);
        if (Setting.Value(state[nameof(StateOptions.ConnectionString)]) is { } stateConnectionString)
        {
            return FromConnectionString(stateConnectionString, "State:ConnectionString");
        }

        if (Setting.Value(state[nameof(StateOptions.ServiceUri)]) is { } stateUri)
        {
            var clientId = Setting.Value(state[nameof(StateOptions.ClientId)]);
            return new StateConnection("State:ServiceUri (identity)", o => new TableServiceClient(new Uri(stateUri), Credential(clientId, managedIdentity: clientId is not null), o));
        }

        if (Setting.Value(configuration[HostStorage]) is { } hostConnectionString)
        {
            return FromConnectionString(hostConnectionString, HostStorage);
        }

        // Identity-based host storage, as the Functions host reads it.
        var host = configuration.GetSection(HostStorage);
        var serviceUri = Setting.Value(host["tableServiceUri"])
            ?? (Setting.Value(host["accountName"]) is { } accountName ? $"https://{accountName}.table.core.windows.net" : null);
        if (serviceUri is null)
        {
            return null;
        }

        var managed = string.Equals(host["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase);
        var hostClientId = Setting.Value(host["clientId"]);
        return new StateConnection($"{HostStorage} (identity)", o => new TableServiceClient(new Uri(serviceUri), Credential(hostClientId, managed), o));
    }

    private static StateConnection FromConnectionString(string connectionString, string source) =>
        new(source, o => new TableServiceClient(connectionString, o));

    private static TokenCredential Credential(string? clientId, bool managedIdentity) => managedIdentity
        ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
        : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });

}
