using System.Text;
using QwenFunctions.Upstream;

namespace QwenFunctions.Chat;

/// <summary>A whole answer, for non-streaming clients.</summary>
public sealed record ChatAnswer(string Content, string Reasoning, QwenUsage? Usage, IReadOnlyList<string> ImageUrls)
{
    public static async Task<ChatAnswer> CollectAsync(ChatSession session, CancellationToken cancellationToken)
    {
        var content = new StringBuilder();
        var reasoning = new StringBuilder();
        var images = new List<string>();
        QwenUsage? usage = null;
        await foreach (var ev in session.ReadAsync(cancellationToken))
        {
            switch (ev)
            {
                case QwenAnswerDelta answer:
                    content.Append(answer.Text);
                    break;
                case QwenReasoningDelta thought:
                    reasoning.Append(thought.Text);
                    break;
                case QwenImageGenerated image:
                    images.Add(image.Url);
                    break;
                case QwenUsage u:
                    usage = u;
                    break;
            }
        }

        return new ChatAnswer(content.ToString(), reasoning.ToString(), usage, images);
    }
}
