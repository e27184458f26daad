// One scenario per run: `node checks.mjs <scenario>` with QWEN_APP (the app's /api base URL) and QWEN_KEY set.
// Prints one JSON object with what the SDK gave back; NodeSdkTests asserts on it and on what reached the upstream.
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

const base = process.env.QWEN_APP;
const apiKey = process.env.QWEN_KEY ?? "sk-unused";
const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey, maxRetries: 0 });
const anthropic = new Anthropic({ baseURL: base, apiKey, maxRetries: 0 });
const model = "qwen3.6-plus";

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

const scenarios = {
  async "chat"() {
    const whole = await openai.chat.completions.create({ model, messages: [{ role: "user", content: "Hello" }] });
    const chunks = [];
    const stream = await openai.chat.completions.create({
      model, messages: [{ role: "user", content: "Stream it" }], stream: true, stream_options: { include_usage: true },
    });
    for await (const chunk of stream) chunks.push(chunk);
    return {
      content: whole.choices[0].message.content,
      finish: whole.choices[0].finish_reason,
      usage: whole.usage.total_tokens,
      streamed: chunks.map((c) => c.choices[0]?.delta?.content ?? "").join(""),
      streamFinish: chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean),
      streamUsage: chunks.at(-1).usage?.total_tokens ?? null,
    };
  },

  // The helper agents built on openai-node use: it streams, runs the tool and sends its result back by itself.
  async "chat-tools"() {
    const calls = [];
    const runner = openai.chat.completions.runTools({
      model,
      stream: true,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [{
        type: "function",
        function: {
          name: "get_weather",
          parameters: weatherTool.function.parameters,
          parse: JSON.parse,
          function: ({ city }) => { calls.push(city); return { city, celsius: 21 }; },
        },
      }],
    });
    const final = await runner.finalChatCompletion();
    return { calls, content: final.choices[0].message.content, turns: runner.messages.length };
  },

  async "responses"() {
    const whole = await openai.responses.create({ model, input: "Hello", instructions: "Be brief." });
    const types = [];
    let streamedText = "";
    const stream = await openai.responses.create({ model, input: "Stream it", stream: true });
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") streamedText += event.delta;
    }
    const next = await openai.responses.create({ model, input: "And again", previous_response_id: whole.id });
    return { id: whole.id, text: whole.output_text, status: whole.status, types, streamedText, next: next.output_text };
  },

  async "responses-tools"() {
    const tools = [{ type: "function", name: "get_weather", parameters: weatherTool.function.parameters, strict: false }];
    const first = await openai.responses.stream({ model, input: "Weather in Paris?", tools }).finalResponse();
    const call = first.output.find((item) => item.type === "function_call");
    const second = await openai.responses.create({
      model, previous_response_id: first.id, tools,
      input: [{ type: "function_call_output", call_id: call.call_id, output: JSON.stringify({ celsius: 21 }) }],
    });
    return { name: call.name, args: JSON.parse(call.arguments), callId: call.call_id, text: second.output_text };
  },

  async "anthropic"() {
    const whole = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: "Hello" }] });
    const stream = anthropic.messages.stream({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: "Stream it" }] });
    let streamedText = "";
    stream.on("text", (t) => { streamedText += t; });
    const final = await stream.finalMessage();
    return {
      id: whole.id, text: whole.content[0].text, stop: whole.stop_reason,
      streamedText, finalText: final.content.map((b) => b.text ?? "").join(""), finalStop: final.stop_reason,
      outputTokens: final.usage.output_tokens,
    };
  },

  async "anthropic-tools"() {
    const tools = [{ name: "get_weather", description: "Current weather", input_schema: weatherTool.function.parameters }];
    const messages = [{ role: "user", content: "Weather in Paris?" }];
    const first = await anthropic.messages.stream({ model: "claude-sonnet-4-5", max_tokens: 256, messages, tools }).finalMessage();
    const use = first.content.find((b) => b.type === "tool_use");
    messages.push({ role: "assistant", content: first.content });
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "21C and sunny" }] });
    const second = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 256, messages, tools });
    return { stop: first.stop_reason, name: use.name, input: use.input, text: second.content.map((b) => b.text ?? "").join("") };
  },

  // What Claude Code sends: the beta route (?beta=true), beta headers, system and tools with cache_control,
  // metadata, adaptive thinking, a streamed turn whose tool_use it runs and answers.
  async "claude-code"() {
    const tools = [
      { name: "Bash", description: "Run a command", input_schema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] } },
      { name: "Read", description: "Read a file", input_schema: { type: "object", properties: { file_path: { type: "string" } } }, cache_control: { type: "ephemeral" } },
    ];
    const request = {
      model: "claude-sonnet-4-5",
      max_tokens: 32000,
      betas: ["claude-code-20250219", "interleaved-thinking-2025-05-14", "fine-grained-tool-streaming-2025-05-14"],
      system: [
        { type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." },
        { type: "text", text: "Work in /repo.", cache_control: { type: "ephemeral" } },
      ],
      metadata: { user_id: "user_abc_account__session_123" },
      thinking: { type: "adaptive" },
      tools,
      messages: [{ role: "user", content: [{ type: "text", text: "List the files", cache_control: { type: "ephemeral" } }] }],
    };
    const first = await anthropic.beta.messages.stream(request).finalMessage();
    const use = first.content.find((b) => b.type === "tool_use");
    request.messages.push({ role: "assistant", content: first.content });
    request.messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: [{ type: "text", text: "README.md\nsrc" }] }] });
    const second = await anthropic.beta.messages.stream(request).finalMessage();
    return {
      stop: first.stop_reason, name: use.name, input: use.input, inputTokens: first.usage.input_tokens,
      blocks: first.content.map((b) => b.type), text: second.content.filter((b) => b.type === "text").map((b) => b.text).join(""),
      secondStop: second.stop_reason,
    };
  },

  // A Codex CLI turn: stateless (store:false, full input replayed with its own reasoning and tool items), a freeform
  // apply_patch tool, a hosted tool type the app cannot serve, include/prompt_cache_key/verbosity, and /models.
  async "codex"() {
    const models = await fetch(`${base}/v1/models?client_version=0.98.0`, { headers: { authorization: `Bearer ${apiKey}` } }).then((r) => r.json());
    const tools = [
      { type: "function", name: "shell", description: "Runs a shell command", strict: false,
        parameters: { type: "object", properties: { command: { type: "array", items: { type: "string" } } }, required: ["command"] } },
      { type: "custom", name: "apply_patch", description: "Use the apply_patch tool to edit files. This is a FREEFORM tool.",
        format: { type: "grammar", syntax: "lark", definition: "start: begin_patch hunk+ end_patch" } },
      { type: "web_search" },
    ];
    const stream = openai.responses.stream({
      model, instructions: "You are Codex.", store: false, stream: true, tools, tool_choice: "auto", parallel_tool_calls: false,
      reasoning: { effort: "medium", summary: "auto" }, include: ["reasoning.encrypted_content"], prompt_cache_key: "conv-1",
      text: { verbosity: "low" },
      input: [
        { type: "message", role: "developer", content: [{ type: "input_text", text: "<permissions>workspace-write</permissions>" }] },
        { type: "message", role: "user", content: [{ type: "input_text", text: "Create hello.txt" }] },
        { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "**Planning**" }], encrypted_content: "opaque" },
        { type: "function_call", call_id: "call_1", name: "shell", arguments: JSON.stringify({ command: ["ls"] }) },
        { type: "function_call_output", call_id: "call_1", output: "README.md" },
      ],
    });
    const types = [];
    stream.on("event", (e) => types.push(e.type));
    const final = await stream.finalResponse();
    const call = final.output.find((item) => item.type === "custom_tool_call");
    return { models: Array.isArray(models.models), types, status: final.status, call: call && { name: call.name, input: call.input }, usage: final.usage?.total_tokens ?? 0 };
  },

  async "errors"() {
    const wrongOpenAI = new OpenAI({ baseURL: `${base}/v1`, apiKey: "wrong-key", maxRetries: 0 });
    const wrongAnthropic = new Anthropic({ baseURL: base, apiKey: "wrong-key", maxRetries: 0 });
    const caught = async (call) => { try { await call(); return null; } catch (e) { return { name: e.constructor.name, status: e.status, type: e.error?.error?.type ?? e.error?.type ?? null }; } };
    return {
      openai: await caught(() => wrongOpenAI.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] })),
      anthropic: await caught(() => wrongAnthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "hi" }] })),
      models: (await openai.models.list()).data.length,
    };
  },
};

const scenario = scenarios[process.argv[2]];
if (!scenario) {
  console.error(`unknown scenario ${process.argv[2]}; one of ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}
console.log(JSON.stringify(await scenario()));
