using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace QwenFunctions.Tests.Hosting;

/// <summary>
/// Just enough <see cref="FunctionContext"/> for worker middleware and functions that ask for one:
/// <c>GetHttpContext()</c> (the Items key the ASP.NET Core integration uses), the function's name and trigger binding,
/// services and cancellation. One per request, shared by the middleware and the function.
/// </summary>
internal sealed class TestFunctionContext : FunctionContext
{
    // Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore Constants.HttpContextKey.
    private const string HttpContextKey = "HttpRequestContext";

    private readonly HttpContext _http;

    private TestFunctionContext(HttpContext http, HttpFunction function)
    {
        _http = http;
        InstanceServices = http.RequestServices;
        FunctionDefinition = new Definition(function);
        Items = new Dictionary<object, object> { [HttpContextKey] = http };
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext => throw new NotSupportedException("FunctionsTestServer has no trace context.");

    public override BindingContext BindingContext => throw new NotSupportedException("FunctionsTestServer has no binding context.");

    public override RetryContext RetryContext => throw new NotSupportedException("FunctionsTestServer has no retry context.");

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; }

    public override IInvocationFeatures Features => throw new NotSupportedException("FunctionsTestServer has no invocation features.");

    public override CancellationToken CancellationToken => _http.RequestAborted;

    public static TestFunctionContext For(HttpContext http, HttpFunction function)
    {
        if (http.Items[typeof(TestFunctionContext)] is not TestFunctionContext context)
        {
            context = new TestFunctionContext(http, function);
            http.Items[typeof(TestFunctionContext)] = context;
        }

        return context;
    }

    private sealed class Definition(HttpFunction function) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters =>
            [.. function.Method.GetParameters().Select(p => new FunctionParameter(p.Name!, p.ParameterType))];

        public override string PathToAssembly => function.Method.DeclaringType!.Assembly.Location;

        public override string EntryPoint => function.Method.DeclaringType!.FullName + "." + function.Method.Name;

        public override string Id => function.Name;

        public override string Name => function.Name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings =>
            ImmutableDictionary<string, BindingMetadata>.Empty.Add(TriggerName, new Binding(TriggerName, "httpTrigger", BindingDirection.In));

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings =>
            ImmutableDictionary<string, BindingMetadata>.Empty.Add("$return", new Binding("$return", "http", BindingDirection.Out));

        private string TriggerName => function.Method.GetParameters().First(p => p.ParameterType == typeof(HttpRequest)).Name!;
    }

    private sealed class Binding(string name, string type, BindingDirection direction) : BindingMetadata
    {
        public override string Name => name;

        public override string Type => type;

        public override BindingDirection Direction => direction;
    }
}
