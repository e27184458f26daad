using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace QwenFunctions.Tests.Hosting;

/// <summary>An HTTP-triggered function of the app, as its own <c>[Function]</c> and <c>[HttpTrigger]</c> attributes declare it.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, string Route, IReadOnlyList<string>? HttpMethods, AuthorizationLevel AuthLevel)
{
    /// <summary>host.json <c>extensions.http.routePrefix</c>.</summary>
    public const string RoutePrefix = QwenFunctions.Http.Routes.Prefix;

    /// <summary>The template the Functions host serves, e.g. <c>/api/v1/models/{id}</c>.</summary>
    public string Pattern => "/" + RoutePrefix + "/" + Route.TrimStart('/');

    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly) =>
    [
        .. from type in assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
           let function = method.GetCustomAttribute<FunctionAttribute>()
           let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
           where function is not null && trigger is not null
           select new HttpFunction(
               function.Name,
               method,
               trigger.Route ?? function.Name,
               trigger.Methods is { Length: > 0 } methods ? methods.Select(m => m.ToUpperInvariant()).ToArray() : null,
               trigger.AuthLevel),
    ];

    public override string ToString() => $"{Name} {string.Join('|', HttpMethods ?? ["*"])} {Pattern}";
}
