using System.Security.Cryptography;

namespace QwenFunctions.Responses;

/// <summary>Ids in OpenAI's prefixes; random, so they say nothing about the account or upstream chat behind them.</summary>
public static class ResponseIds
{
    public const string Response = "resp";
    public const string Message = "msg";
    public const string Reasoning = "rs";
    public const string FunctionCall = "fc";
    public const string CustomToolCall = "ctc";
    public const string ToolOutput = "fco";

    public static string New(string prefix) => prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(prefix == Response ? 24 : 16));
}
