namespace QwenFunctions.Http;

/// <summary>
/// The caller of the request this code runs for (<see cref="HttpPipeline.CallerId"/>), set once by the pipeline and
/// flowing with the request's async calls. Lets the binding store scope chats and files to their caller without every
/// surface passing it down; null outside a request (activities, start-up), which is the anonymous caller.
/// </summary>
public static class RequestCaller
{
    private static readonly AsyncLocal<string?> Caller = new();

    public static string Current => Caller.Value ?? HttpPipeline.AnonymousCaller;

    /// <summary>Whether the API is open (API_KEYS unset): every caller is the one anonymous caller.</summary>
    public static bool IsAnonymous => Current == HttpPipeline.AnonymousCaller;

    internal static void Set(string callerId) => Caller.Value = callerId;
}
