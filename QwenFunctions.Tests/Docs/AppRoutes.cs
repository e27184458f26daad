using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace QwenFunctions.Tests.Docs;

/// <summary>Every (method, path) the app serves, read from the [Function]/[HttpTrigger] attributes the worker indexes.</summary>
internal static partial class AppRoutes
{
    private static readonly string[] AllMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    public static IReadOnlyList<AppRoute> All() => typeof(QwenFunctions.ServiceCollectionExtensions).Assembly
        .GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
        .Where(x => x.Function is not null)
        .SelectMany(x => x.Method.GetParameters()
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
            .OfType<HttpTriggerAttribute>()
            .SelectMany(trigger => Expand(x.Function!.Name, trigger)))
        .ToList();

    private static IEnumerable<AppRoute> Expand(string functionName, HttpTriggerAttribute trigger)
    {
        var methods = trigger.Methods is { Length: > 0 } declared ? declared.Select(m => m.ToUpperInvariant()) : AllMethods;
        foreach (var path in ToOpenApiPaths(trigger.Route ?? functionName))
        {
            foreach (var method in methods)
            {
                yield return new AppRoute(functionName, method, path);
            }
        }
    }

    /// <summary>"videos/{id:guid}" → "/videos/{id}"; an optional last parameter ("models/{id?}") stands for two paths.</summary>
    internal static IEnumerable<string> ToOpenApiPaths(string route)
    {
        var segments = route.Trim('/').Split('/');
        var normalized = segments.Select(s => Parameter().Replace(s, m => "{" + m.Groups["name"].Value + "}")).ToArray();
        yield return "/" + string.Join('/', normalized);
        if (segments[^1].Contains('?') && segments.Length > 1)
        {
            yield return "/" + string.Join('/', normalized[..^1]);
        }
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z0-9_]+)(:[^}?=]+)*(=[^}]*)?\??\}")]
    private static partial Regex Parameter();
}

internal sealed record AppRoute(string FunctionName, string Method, string Path)
{
    public string Key => $"{Method} {Path}";
}
