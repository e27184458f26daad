using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace QwenFunctions.State;

/// <summary>The state tables, created on first use (the app must start even when storage is down).</summary>
public sealed class StateTables
{
    public const string Health = "Health";
    public const string Bindings = "Bindings";
    public const string Limits = "Limits";
    public const string Credentials = "Credentials";

    private readonly TableServiceClient _service;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, TableClient> _ready = new();

    public StateTables(StateConnection connection, IOptions<StateOptions> options, StorageCircuitBreaker breaker)
    {
        // After an outage the tables may be gone (a new or restored account, an emulator without its data): check again.
        breaker.Opened += _ready.Clear;

        var settings = options.Value;
        var clientOptions = new TableClientOptions();

        // The breaker and the ETag loops decide about retries; the SDK's own backoff would only add latency to a chat request.
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.Mode = RetryMode.Fixed;
        clientOptions.Retry.NetworkTimeout = settings.OperationTimeout;
        _service = connection.CreateClient(clientOptions);
        _prefix = settings.TableNamePrefix;
    }

    public async ValueTask<TableClient> GetAsync(string table, CancellationToken cancellationToken)
    {
        if (_ready.TryGetValue(table, out var client))
        {
            return client;
        }

        client = _service.GetTableClient(_prefix + table);
        await client.CreateIfNotExistsAsync(cancellationToken);
        return _ready.GetOrAdd(table, client);
    }
}
