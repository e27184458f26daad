using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.State;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Tests.Media;

namespace QwenFunctions.Tests.State;

/// <summary>
/// An uploaded file's id works on every instance (its details live with its caller-scoped binding in the shared
/// table), and for another API key it is as unknown there as anywhere.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SharedFileDetailsTests(AzuriteFixture fixture) : IAsyncLifetime
{
    private const string Owner = "sk-file-owner";
    private const string Other = "sk-file-other";
    private readonly string _prefix = StateTestHost.UniquePrefix();
    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [SkippableFact]
    public async Task Chat_FileUploadedOnInstanceA_IsAttachedOnInstanceBForItsOwnerOnly()
    {
        var azurite = fixture.Require();
        var accounts = new[] { _emulator.AddAccount(), _emulator.AddAccount() };
        var settings = MediaServices.Settings(_emulator, accounts.Select(a => a.Token));
        settings["API_KEYS"] = $"{Owner},{Other}";
        settings["State:ConnectionString"] = azurite.ConnectionString;
        settings["State:TableNamePrefix"] = _prefix;
        await using var a = await FunctionsTestServer.StartAsync(settings);
        await using var b = await FunctionsTestServer.StartAsync(settings);

        var fileId = await UploadAsync(a, "notes.txt", "The code word is kite.");
        await a.Services.GetRequiredService<SharedAccountBindingStore>().FlushAsync(CancellationToken.None);
        var upload = Assert.Single(_emulator.Uploads);

        var (mine, _) = await ChatAsync(b, Owner, fileId);
        var (theirs, theirBody) = await ChatAsync(b, Other, fileId);
        var (unknown, unknownBody) = await ChatAsync(b, Other, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.OK, mine);
        var completion = Assert.Single(_emulator.Requests, r => r.Path == "/api/v2/chat/completions");
        Assert.Equal(upload.OwnerToken, completion.Token);
        var attached = Assert.Single(_emulator.Chats.Single().UserMessages.Single().Files);
        Assert.Equal(fileId, attached.GetProperty("id").GetString());
        Assert.Equal("notes.txt", attached.GetProperty("name").GetString());
        Assert.Equal("text/plain", attached.GetProperty("file_type").GetString());
        Assert.Equal(unknown, theirs);
        Assert.Equal(unknownBody.GetProperty("code").GetString(), theirBody.GetProperty("code").GetString());
        Assert.Single(_emulator.Requests, r => r.Path == "/api/v2/chat/completions");
    }

    [SkippableFact]
    public async Task Upload_FileDetailsInTheSharedTable_HoldNoUrlSignature()
    {
        var azurite = fixture.Require();
        var settings = MediaServices.Settings(_emulator, [_emulator.AddAccount().Token]);
        settings["State:ConnectionString"] = azurite.ConnectionString;
        settings["State:TableNamePrefix"] = _prefix;
        await using var a = await FunctionsTestServer.StartAsync(settings);

        var fileId = await UploadAsync(a, "notes.txt", "hello");
        await a.Services.GetRequiredService<SharedAccountBindingStore>().FlushAsync(CancellationToken.None);

        var rows = new List<string>();
        await foreach (var row in new TableServiceClient(azurite.ConnectionString).GetTableClient(_prefix + StateTables.Bindings).QueryAsync<TableEntity>())
        {
            rows.Add(string.Join("|", row.Select(p => $"{p.Key}={p.Value}")));
        }

        // The details are there (the object's address, so another instance can attach it), the signed query is not.
        Assert.Contains(rows, r => r.Contains("notes.txt", StringComparison.Ordinal) && r.Contains(fileId, StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("x-oss-", StringComparison.OrdinalIgnoreCase) || r.Contains('?'));
    }

    private static async Task<string> UploadAsync(FunctionsTestServer server, string name, string text)
    {
        var (body, boundary) = MediaServices.MultipartBody(name, "text/plain", Encoding.UTF8.GetBytes(text));
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/files/upload") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Owner);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("file").GetProperty("fileId").GetString()!;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ChatAsync(FunctionsTestServer server, string key, string fileId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat")
        {
            Content = JsonContent.Create(new { message = new object[] { new { type = "text", text = "What is the code word?" }, new { type = "file", file = fileId } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await server.Client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
