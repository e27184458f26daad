using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using QwenFunctions.State;

namespace QwenFunctions.Responses;

/// <summary>
/// Stored responses in the shared table, so any instance can read or continue them: PartitionKey = owner, RowKey =
/// response id, the response and input JSON Brotli-compressed in binary properties of at most 64 KiB each.
/// </summary>
public sealed class TableResponseStore(StateTables tables, IOptionsMonitor<ResponsesOptions> options, TimeProvider time) : IResponseStore
{
    public const string TableName = "Responses";

    private const int ChunkBytes = 64 * 1024;

    // An entity holds at most 1 MiB; what does not fit stays in the storing instance's memory only.
    private const int MaxChunks = 14;

    ValueTask IResponseStore.SaveAsync(StoredResponse response, CancellationToken cancellationToken) => new(TrySaveAsync(response, cancellationToken));

    /// <summary>False when the response is too large for one entity (nothing is written then).</summary>
    public async Task<bool> TrySaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition(response.Owner), response.Id)
        {
            ["StoredAt"] = response.StoredAt,
            ["ChatId"] = response.Conversation?.ChatId,
            ["ParentId"] = response.Conversation?.ParentId,
        };
        var chunks = AddChunks(entity, "R", response.ResponseJson) + AddChunks(entity, "I", response.InputItemsJson);
        if (chunks > MaxChunks)
        {
            return false;
        }

        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    public async ValueTask<StoredResponse?> FindAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition(owner), id, cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value!.GetDateTimeOffset("StoredAt") is not { } storedAt
            || time.GetUtcNow() - storedAt >= options.CurrentValue.StoreLifetime)
        {
            return null;
        }

        var entity = found.Value;
        var conversation = entity.GetString("ChatId") is { } chat && entity.GetString("ParentId") is { } parent
            ? new ResponseConversation(chat, parent)
            : null;
        return new StoredResponse(id, owner, storedAt, ReadChunks(entity, "R"), ReadChunks(entity, "I"), conversation);
    }

    public async ValueTask<bool> DeleteAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(Partition(owner), id, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Owners are key ids (a hash prefix) or "anonymous"; hashed again so any value is a valid PartitionKey.</summary>
    private static string Partition(string owner) => "o_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner)))[..32];

    private static int AddChunks(TableEntity entity, string prefix, string json)
    {
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            brotli.Write(Encoding.UTF8.GetBytes(json));
        }

        var bytes = buffer.ToArray();
        var count = (bytes.Length + ChunkBytes - 1) / ChunkBytes;
        for (var i = 0; i < count; i++)
        {
            entity[$"{prefix}{i}"] = bytes.AsSpan(i * ChunkBytes, Math.Min(ChunkBytes, bytes.Length - (i * ChunkBytes))).ToArray();
        }

        entity[$"{prefix}Count"] = count;
        return count;
    }

    private static string ReadChunks(TableEntity entity, string prefix)
    {
        var count = entity.GetInt32($"{prefix}Count") ?? 0;
        using var compressed = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            compressed.Write(entity.GetBinary($"{prefix}{i}"));
        }

        compressed.Position = 0;
        using var brotli = new BrotliStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(brotli, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
