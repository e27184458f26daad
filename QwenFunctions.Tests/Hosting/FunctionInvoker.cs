using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace QwenFunctions.Tests.Hosting;

/// <summary>
/// Binds and runs one function the way the isolated worker does with ASP.NET Core integration: an instance per
/// invocation from the request's services, <see cref="HttpRequest"/> for the trigger, route (then query) values by
/// parameter name, <see cref="CancellationToken"/>; the returned IActionResult/IResult is executed on the response.
/// </summary>
internal static class FunctionInvoker
{
    /// <summary>Runs the function and returns what it returned (unwrapped from Task/ValueTask).</summary>
    public static async Task<object?> InvokeAsync(HttpFunction function, HttpContext http, IReadOnlyDictionary<Type, Func<HttpContext, object?>> extraBindings)
    {
        var method = function.Method;
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(http.RequestServices, method.DeclaringType!);
        try
        {
            var arguments = method.GetParameters().Select(p => Bind(function, p, http, extraBindings)).ToArray();
            var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
            return await UnwrapAsync(returned, method.ReturnType);
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (instance is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    /// <summary>Parameters the host could not bind on any request (no known type, route value or default).</summary>
    public static IEnumerable<string> UnbindableParameters(HttpFunction function, IReadOnlyCollection<Type> extraBindingTypes) =>
        from p in function.Method.GetParameters()
        let type = p.ParameterType
        where type != typeof(HttpRequest) && type != typeof(CancellationToken) && type != typeof(FunctionContext)
              && !extraBindingTypes.Contains(type) && !IsInputBinding(p)
              && !function.Route.Contains("{" + p.Name, StringComparison.OrdinalIgnoreCase)
              && !p.HasDefaultValue && !IsNullable(p)
        select $"{function.Name}({p.Name}: {type.Name})";

    private static object? Bind(HttpFunction function, ParameterInfo parameter, HttpContext http, IReadOnlyDictionary<Type, Func<HttpContext, object?>> extraBindings)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HttpRequest))
        {
            return http.Request;
        }

        if (type == typeof(CancellationToken))
        {
            return http.RequestAborted;
        }

        if (extraBindings.TryGetValue(type, out var bind))
        {
            return bind(http);
        }

        if (type == typeof(FunctionContext))
        {
            return TestFunctionContext.For(http, function);
        }

        var raw = http.GetRouteValue(parameter.Name!)?.ToString() ?? (string?)http.Request.Query[parameter.Name!];
        if (raw is not null)
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            return target == typeof(string) ? raw : TypeDescriptor.GetConverter(target).ConvertFromString(null, CultureInfo.InvariantCulture, raw);
        }

        // Input bindings (e.g. [DurableClient] DurableTaskClient) come from the test's services when it registered one.
        if (IsInputBinding(parameter))
        {
            // A function that shares a route between durable and non-durable work (POST /api/chat) only touches the
            // client on the durable path; tests of the other paths need not start a durable host.
            return http.RequestServices.GetService(type);
        }

        if (parameter.HasDefaultValue || IsNullable(parameter))
        {
            return parameter.HasDefaultValue ? parameter.DefaultValue : null;
        }

        throw new InvalidOperationException(
            $"FunctionsTestServer cannot bind parameter '{parameter.Name}' ({type.Name}) of {function.Name}; " +
            "register one in FunctionsTestServerOptions.ConfigureServices or pass it in FunctionsTestServerOptions.Bindings.");
    }

    private static bool IsInputBinding(ParameterInfo parameter) =>
        parameter.GetCustomAttributes().Any(a => a is BindingAttribute and not HttpTriggerAttribute);

    private static bool IsNullable(ParameterInfo parameter) =>
        Nullable.GetUnderlyingType(parameter.ParameterType) is not null
        || (!parameter.ParameterType.IsValueType && new NullabilityInfoContext().Create(parameter).WriteState == NullabilityState.Nullable);

    private static async Task<object?> UnwrapAsync(object? returned, Type returnType)
    {
        switch (returned)
        {
            case Task task:
                await task;
                return returnType.IsGenericType ? returnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            case not null when returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)returnType.GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
                await asTask;
                return asTask.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(asTask);
            default:
                return returned;
        }
    }

    /// <summary>Writes a function's result to the response, as FunctionsHttpProxyingMiddleware does after the worker pipeline.</summary>
    public static Task ExecuteResultAsync(object? result, HttpContext http)
    {
        switch (result)
        {
            case null:
                return Task.CompletedTask;
            case IResult httpResult:
                return httpResult.ExecuteAsync(http);
            case IActionResult actionResult:
                // What FunctionsHttpProxyingMiddleware does after the function returns.
                return http.RequestAborted.IsCancellationRequested
                    ? Task.CompletedTask
                    : actionResult.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
            default:
                // Multi-output return types carry the HTTP answer in an [HttpResult] property.
                var httpProperty = result.GetType().GetProperties().FirstOrDefault(p => p.GetCustomAttribute<HttpResultAttribute>() is not null);
                return httpProperty is not null
                    ? ExecuteResultAsync(httpProperty.GetValue(result), http)
                    : Results.Json(result).ExecuteAsync(http);
        }
    }
}
