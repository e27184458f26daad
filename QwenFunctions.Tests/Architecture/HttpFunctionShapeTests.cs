using Microsoft.AspNetCore.Http;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Architecture;

/// <summary>Every HTTP function has the same shape, so a new one is written like the others and executed the same way.</summary>
public sealed class HttpFunctionShapeTests
{
    [Fact]
    public void HttpFunctions_ReturnType_IsTaskOfIResult()
    {
        var odd = HttpFunction.Discover(typeof(ServiceCollectionExtensions).Assembly)
            .Where(f => f.Method.ReturnType != typeof(Task<IResult>))
            .Select(f => $"{f.Name} returns {f.Method.ReturnType.Name}")
            .ToList();

        Assert.True(odd.Count == 0, string.Join(", ", odd));
    }
}
