using System.Text;
using System.Text.Json;

namespace QwenFunctions.Tests.Hosting;

/// <summary>
/// Reads a downstream event stream line by line, keeping comments (heartbeats) that SseParser would hide.
/// Each item is a data payload ("[DONE]" included) or a comment line starting with ':'.
/// </summary>
public sealed class SseClient(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    /// <summary>The next data payload or comment; null at the end of the stream.</summary>
    public async Task<string?> NextAsync(CancellationToken cancellationToken = default)
    {
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith(':'))
            {
                return line;
            }

            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }

        return null;
    }

    /// <summary>The next data payload (comments skipped).</summary>
    public async Task<string?> NextDataAsync(CancellationToken cancellationToken = default)
    {
        while (await NextAsync(cancellationToken) is { } item)
        {
            if (!item.StartsWith(':'))
            {
                return item;
            }
        }

        return null;
    }

    /// <summary>Every remaining item.</summary>
    public async Task<List<string>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var items = new List<string>();
        while (await NextAsync(cancellationToken) is { } item)
        {
            items.Add(item);
        }

        return items;
    }

    public static JsonElement Json(string data) => JsonDocument.Parse(data).RootElement.Clone();

    public void Dispose() => _reader.Dispose();
}
