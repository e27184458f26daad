using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QwenFunctions.Anthropic;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Files;
using QwenFunctions.Http;
using QwenFunctions.Images;
using QwenFunctions.NativeChat;
using QwenFunctions.OpenAI;

namespace QwenFunctions.Tests.Docs;

/// <summary>
/// Bodies the app writes by hand (Utf8JsonWriter, JSON nodes) read against the document's schemas for them: a field
/// added, renamed or retyped on one side only fails here, so the *OpenApi.cs wire types cannot drift from the writers.
/// </summary>
public sealed class WireContractTests
{
    private static readonly Lazy<JsonObject> Schemas = new(() =>
        JsonNode.Parse(OpenApiTestDocuments.AppDocumentJsonAsync().GetAwaiter().GetResult())!["components"]!["schemas"]!.AsObject());

    private static readonly ChatAnswerInfo Info = new("resp-1", "chat-1", "qwen3-max", DateTimeOffset.FromUnixTimeSeconds(1790000000));

    // Reasoning, text, two tool calls and usage: every optional field the chat formats can write.
    private static readonly ChatEvent[] Answer =
    [
        new ChatStarted(Info),
        new ChatReasoningDelta("Thinking."),
        new ChatTextDelta("Checking."),
        new ChatToolCallStarted(0, "call_a", "get_weather"),
        new ChatToolCallArgumentsDelta(0, "{\"city\":\"Paris\"}"),
        new ChatToolCallCompleted(0),
        new ChatToolCallStarted(1, "call_b", "get_time"),
        new ChatToolCallArgumentsDelta(1, "{}"),
        new ChatToolCallCompleted(1),
        new ChatUsage(10, 5, 15, 2, 3),
        new ChatFinished(ChatFinishReason.ToolCalls),
    ];

    [Theory]
    [InlineData(ReasoningOutput.ReasoningContent)]
    [InlineData(ReasoningOutput.ThinkTags)]
    public void OpenAIChat_WholeAnswerAndEveryChunk_MatchChatCompletionAndChatCompletionChunk(ReasoningOutput reasoning)
    {
        AssertMatches("ChatCompletion", new OpenAIChatFormat(includeUsage: false, reasoning).Whole(Whole()));
        AssertMatches("ChatCompletion", new OpenAIChatFormat(includeUsage: false, reasoning).Whole(Whole(new ChatStarted(Info), new ChatTextDelta("Hi."), new ChatFinished(ChatFinishReason.Stop))));
        foreach (var includeUsage in new[] { true, false })
        {
            AssertEachChunk("ChatCompletionChunk", new OpenAIChatFormat(includeUsage, reasoning));
        }
    }

    [Fact]
    public void NativeChat_WholeAnswerEveryChunkAndTheT2iAnswer_MatchNativeChatCompletionAndNativeChatChunk()
    {
        AssertMatches("NativeChatCompletion", new NativeChatFormat(ReasoningOutput.ReasoningContent).Whole(Whole()));
        AssertEachChunk("NativeChatChunk", new NativeChatFormat(ReasoningOutput.ReasoningContent));

        var images = new ImageGenerationResult([new GeneratedImage("https://cdn/a.png", 1024, 1024)], "chat-1", "resp-1", "qwen3-max", "1:1", "acc_1");
        AssertMatches("NativeChatCompletion", SeedImageChatAnswer.From(images, DateTimeOffset.UnixEpoch).ToJsonString());
    }

    [Fact]
    public void AnthropicMessage_WholeAnswer_MatchesAnthropicMessage()
    {
        var signatures = new ThinkingSignature(Options.Create(new AnthropicOptions()));
        var format = new AnthropicMessageFormat(new MessageEvents(new MessageJson(AnthropicIds.Message(), "qwen3-max"), new MessageAssembler(signatures, [], null), 9));

        AssertMatches("AnthropicMessage", format.Whole(Whole()));
    }

    [Fact]
    public async Task ImagesAndFiles_Answers_MatchTheirSchemas()
    {
        using var services = OpenApiTestDocuments.AppServices();
        var api = services.GetRequiredService<ImageApi>();
        var result = new ImageGenerationResult([new GeneratedImage("https://cdn/a.png", null, null)], "chat-1", null, "qwen3-max", "1:1", "acc_1");
        var file = new UploadedFile("file-1", "a.png", "https://oss/a.png", 12, "image/png", "acc_1");

        AssertMatches("NativeImageResult", api.ToNativeAnswer(result));
        AssertMatches("ImagesResponse", await api.ToOpenAIAnswerAsync(result, 1, "url", CancellationToken.None));
        AssertMatches("SeedUploadAnswer", FileAnswers.Seed(file));
        AssertMatches("OpenAIFile", FileAnswers.OpenAI(file, null, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task Errors_InEachVocabulary_MatchTheirSchemas()
    {
        var error = new ApiException(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_json", "Bad body.", "model");
        var context = new DefaultHttpContext { Request = { Path = "/api/chat" }, Response = { Body = new MemoryStream() } };

        await ApiErrorWriter.WriteAsync(context, error);

        AssertMatches("ApiProblemDetails", System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
        AssertMatches("OpenAIErrorEnvelope", ApiErrorWriter.OpenAIEnvelopeJson(error));
        AssertMatches("AnthropicErrorEnvelope", AnthropicErrorBody.Json(error, "req_1"));
    }

    private static ChatAnswer Whole(params ChatEvent[] events)
    {
        var builder = new ChatAnswer.Builder(Info);
        foreach (var ev in events.Length > 0 ? events : Answer)
        {
            builder.Add(ev);
        }

        return builder.Build();
    }

    private static void AssertEachChunk(string schema, IChatFormat format)
    {
        var frames = Answer.SelectMany(format.Stream).Where(f => f != SseFrame.Done).ToList();

        Assert.NotEmpty(frames);
        Assert.All(frames, f => AssertMatches(schema, f.Data));
    }

    private static void AssertMatches(string schema, string json)
    {
        var problems = new List<string>();
        Check(Schemas.Value[schema]!.AsObject(), JsonNode.Parse(json), "$", problems);
        Assert.True(problems.Count == 0, $"{schema} does not describe:\n{json}\n" + string.Join('\n', problems));
    }

    /// <summary>The OpenAPI 3.0 subset the generator writes: $ref, anyOf, type, nullable, properties, required, items.</summary>
    private static void Check(JsonObject schema, JsonNode? value, string at, List<string> problems)
    {
        if (value is null)
        {
            // A $ref cannot say nullable in 3.0; a nullable property's null is documented on the C# type only.
            if (schema["type"] is not null && schema["nullable"]?.GetValue<bool>() != true)
            {
                problems.Add($"{at}: null where the schema does not allow it");
            }

            return;
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Check(Schemas.Value[reference.Split('/')[^1]]!.AsObject(), value, at, problems);
            return;
        }

        if (schema["anyOf"] is JsonArray choices)
        {
            if (!choices.Any(c => Problems(c!.AsObject(), value, at).Count == 0))
            {
                problems.Add($"{at}: matches none of anyOf");
            }

            return;
        }

        switch (schema["type"]?.GetValue<string>(), value.GetValueKind())
        {
            case (null, _):
            case ("string", JsonValueKind.String):
            case ("number", JsonValueKind.Number):
            case ("boolean", JsonValueKind.True or JsonValueKind.False):
                return;
            case ("integer", JsonValueKind.Number):
                if (!value.AsValue().TryGetValue<long>(out _))
                {
                    problems.Add($"{at}: {value} is not an integer");
                }

                return;
            case ("array", JsonValueKind.Array):
                var index = 0;
                foreach (var item in value.AsArray())
                {
                    Check(schema["items"] as JsonObject ?? [], item, $"{at}[{index++}]", problems);
                }

                return;
            case ("object", JsonValueKind.Object):
                var properties = schema["properties"]?.AsObject();
                foreach (var (name, child) in value.AsObject())
                {
                    if (properties?[name] is JsonObject property)
                    {
                        Check(property, child, $"{at}.{name}", problems);
                    }
                    else if (properties is not null)
                    {
                        problems.Add($"{at}.{name}: written but not in the schema");
                    }
                }

                foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                {
                    if (!value.AsObject().ContainsKey(required))
                    {
                        problems.Add($"{at}.{required}: required but not written");
                    }
                }

                return;
            default:
                problems.Add($"{at}: {value.GetValueKind()} where the schema says {schema["type"]}");
                return;
        }
    }

    private static List<string> Problems(JsonObject schema, JsonNode value, string at)
    {
        var problems = new List<string>();
        Check(schema, value, at, problems);
        return problems;
    }
}
