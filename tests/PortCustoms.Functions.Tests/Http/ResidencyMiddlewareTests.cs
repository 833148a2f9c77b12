using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Residency;
using PortCustoms.Functions.Http;
using PortCustoms.Functions.Tests.Fixtures;

namespace PortCustoms.Functions.Tests.Http;

/// <summary>The residency refusal for HTTP, in one place: the worker middleware in front of the customs-data functions.</summary>
public sealed class ResidencyMiddlewareTests
{
    private static ResidencyGuard Guard(string? platformRegion)
    {
        var options = new ResidencyOptions();
        options.AllowedRegions.Add("westeurope");
        return new ResidencyGuard(Options.Create(options), platformRegion);
    }

    private static HttpRequest Request() => new DefaultHttpContext().Request;

    [Fact]
    public void GuardedFunctions_AreExactlyThoseThatTakeOrShowCustomsData()
    {
        Assert.Equal(["ContainerView", "CustomsNotification", "GateQuery", "PostEvents"], ResidencyMiddleware.GuardedFunctions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Invoke_OutsideApprovedRegions_AnswersTheProblemAndNeverRunsTheFunction()
    {
        var ran = false;

        var response = await MiddlewareInvocation.RunAsync(new ResidencyMiddleware(Guard("East US")), "PostEvents", Request(), () =>
        {
            ran = true;
            return Task.FromResult<IActionResult>(new OkResult());
        });

        Assert.False(ran);
        Assert.Equal(503, response.Status);
        Assert.StartsWith(Problems.ContentType, response.ContentType, StringComparison.Ordinal);
        Assert.Equal(ResidencyMiddleware.Title, response.Json.GetProperty("title").GetString());
        Assert.Empty(response.Json.GetProperty("errors").EnumerateObject());
        Assert.Contains("eastus", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_FunctionWithoutCustomsData_RunsOutsideApprovedRegions()
    {
        var response = await MiddlewareInvocation.RunAsync(new ResidencyMiddleware(Guard("East US")), "Health", Request(), () => Task.FromResult<IActionResult>(new OkResult()));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task Invoke_InsideApprovedRegions_RunsTheFunction()
    {
        var response = await MiddlewareInvocation.RunAsync(new ResidencyMiddleware(Guard("West Europe")), "GateQuery", Request(), () => Task.FromResult<IActionResult>(new OkResult()));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task Invoke_RefusalRaisedByAnIntakeService_AnsweredTheSameWay()
    {
        var response = await MiddlewareInvocation.RunAsync(new ResidencyMiddleware(Guard("West Europe")), "CustomsNotification", Request(),
            () => throw new ResidencyViolationException("Region 'x' is not an approved region for customs data."));

        Assert.Equal(503, response.Status);
        Assert.Equal(ResidencyMiddleware.Title, response.Json.GetProperty("title").GetString());
    }
}
