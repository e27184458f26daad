namespace QwenFunctions.Tests.Emulator;

/// <summary>Scripted answers (tool-call text, split where a test wants it) and events split across TCP writes.</summary>
public sealed class QwenEmulatorScriptTests
{
    [Fact]
    public async Task Script_NextAnswer_IsSentAsExactlyTheScriptedDeltasThenTheUsualAnswer()
    {
        await using var emu = await QwenEmulator.StartAsync();
        using var client = new QwenTestClient(emu, emu.AddAccount().Token);
        var call = ModelToolCalls.Json("get_weather", """{"city": "Paris"}""");
        emu.Script.Enqueue("Let me check.\n<tool", call["<tool".Length..]);
        var chatId = await client.NewChatAsync();

        var first = await client.CompleteAsync(chatId, "weather?");
        var second = await client.CompleteAsync(await client.NewChatAsync(), "again");

        Assert.Equal(["Let me check.\n<tool", call["<tool".Length..]],
            QwenTestClient.Deltas(first, "answer").Select(d => d.GetProperty("content").GetString()).Where(s => s!.Length > 0));
        Assert.Equal("Echo: again", QwenTestClient.AnswerText(second));
        Assert.Equal(0, emu.Script.Pending);
    }

    [Fact]
    public async Task Script_Thoughts_ReplaceTheThinkingSummaries()
    {
        await using var emu = await QwenEmulator.StartAsync();
        using var client = new QwenTestClient(emu, emu.AddAccount().Token);
        emu.Script.Enqueue(new ScriptedAnswer(["42"]) { Thoughts = ["<tool_call> is only a thought"] });

        var events = await client.CompleteAsync(await client.NewChatAsync(), "q", thinking: true);

        Assert.Contains(QwenTestClient.Deltas(events, "thinking_summary"),
            d => d.ToString().Contains("<tool_call> is only a thought", StringComparison.Ordinal));
        Assert.Equal("42", QwenTestClient.AnswerText(events));
    }

    [Fact]
    public async Task EventWriteChunkBytes_EventsWrittenInThreeBytePieces_StillDecodeWhole()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { EventWriteChunkBytes = 3 });
        var account = emu.AddAccount();
        using var client = new QwenTestClient(emu, account.Token);
        var chatId = await client.NewChatAsync();
        emu.Script.Enqueue("Zürich 🌦 ", ModelToolCalls.Coder("get_weather", ("city", "Zürich")));

        var events = await client.CompleteAsync(chatId, "weather?");

        Assert.Equal("Zürich 🌦 " + ModelToolCalls.Coder("get_weather", ("city", "Zürich")), QwenTestClient.AnswerText(events));
        Assert.Equal("Zürich 🌦 " + ModelToolCalls.Coder("get_weather", ("city", "Zürich")), emu.GetChat(chatId)!.AssistantMessages.Single().Content);
    }
}
