using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace QwenFunctions.Chat.Continuation;

/// <summary>
/// A hash of a conversation's messages, as a client replays them: roles, text, attachments, tool calls (id, name and
/// arguments) and tool results (the call they answer, the text), but not what replays may legitimately change:
/// surrounding whitespace, an empty or null content next to tool calls, reasoning (shown as &lt;think&gt; text; thinking
/// blocks and reasoning items never reach <see cref="ChatMessage"/>), the surface's id prefix (Anthropic shows
/// <c>call_X</c> as <c>toolu_X</c>) and the JSON formatting of arguments. The random call ids keep two sessions with the
/// same words apart. Only the hash is ever stored.
/// </summary>
public static partial class HistoryFingerprint
{
    /// <summary>The fingerprint of <paramref name="messages"/>; equal lists (as replayed) give equal fingerprints.</summary>
    public static string Of(IEnumerable<ChatMessage> messages)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Agents resend the whole history each turn and it is hashed twice per request: one pooled buffer, not a copy
        // of every message. The bytes hashed are the same as ever (stored rows are keyed by them).
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        Span<byte> length = stackalloc byte[sizeof(int)];
        try
        {
            foreach (var message in messages)
            {
                // Length-prefixed fields: no two different histories serialise to the same bytes.
                foreach (var field in Fields(message))
                {
                    var needed = Encoding.UTF8.GetMaxByteCount(field.Length);
                    if (buffer.Length < needed)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(needed);
                    }

                    var written = Encoding.UTF8.GetBytes(field, buffer);
                    BitConverter.TryWriteBytes(length, written);
                    hash.AppendData(length);
                    hash.AppendData(buffer, 0, written);
                }

                hash.AppendData("\u0000"u8);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    private static IEnumerable<string> Fields(ChatMessage message)
    {
        yield return message.Role;
        yield return message.Role == ChatMessage.Assistant ? ThinkBlock().Replace(message.Text, "").Trim() : message.Text.Trim();
        if (message.Role == ChatMessage.Tool)
        {
            yield return CanonicalId(message.ToolCallId);
        }

        foreach (var reference in message.ImageUrls.Concat(message.FileRefs))
        {
            yield return reference;
        }

        foreach (var call in message.ToolCalls)
        {
            yield return CanonicalId(call.Id);
            yield return call.Name;
            yield return CanonicalArguments(call.Arguments);
        }
    }

    /// <summary>The id without the prefix a surface puts on the pipeline's <c>call_…</c> ids.</summary>
    private static string CanonicalId(string? id)
    {
        var trimmed = id?.Trim() ?? "";
        foreach (var prefix in (ReadOnlySpan<string>)["call_", "toolu_"])
        {
            if (trimmed.StartsWith(prefix, StringComparison.Ordinal))
            {
                return trimmed[prefix.Length..];
            }
        }

        return trimmed;
    }

    private static string CanonicalArguments(string arguments)
    {
        try
        {
            return Sorted(JsonNode.Parse(arguments.Length == 0 ? "{}" : arguments))?.ToJsonString() ?? "null";
        }
        catch (JsonException)
        {
            return arguments.Trim();
        }
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    [GeneratedRegex(@"^\s*<think>.*?</think>", RegexOptions.Singleline)]
    private static partial Regex ThinkBlock();
}
