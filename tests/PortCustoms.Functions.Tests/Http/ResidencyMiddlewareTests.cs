using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
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
    public void Program_RegistersTheMiddlewareAfterTheAspNetCoreIntegration()
    {
        // The worker's Program.cs cannot run in a test; its two lines can be read. Order matters: the integration's own
        // middleware puts the HttpContext in the invocation's items, so it must come first.
        var program = File.ReadAllText(PortCustoms.TestSupport.RepositoryPaths.Combine("functions", "PortCustoms.Functions", "Program.cs"));
        var integration = program.IndexOf("ConfigureFunctionsWebApplication()", StringComparison.Ordinal);
        var residency = program.IndexOf("UseMiddleware<ResidencyMiddleware>()", StringComparison.Ordinal);
        Assert.True(integration >= 0 && residency > integration, "Program.cs must call UseMiddleware<ResidencyMiddleware>() after ConfigureFunctionsWebApplication().");
    }

    [Fact]
    public async Task Invoke_OutsideApprovedRegions_AnswersTheProblemAndNeverRunsTheFunction()
    {
        var ran = false;

        var response = await MiddlewareInvocation.RunAsync(new ResidencyMiddleware(Guard("East US"), NullLogger<ResidencyMiddleware>.Instance), "PostEvents", Request(), () =>
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
        var response = await MiddlewareInvocation.RunAsync(new ResidencyMiddleware(Guard("East US"), NullLogger<ResidencyMiddleware>.Instance), "Health", Request(), () => Task.FromResult<IActionResult>(new OkResult()));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task Invoke_InsideApprovedRegions_RunsTheFunction()
    {
        var response = await MiddlewareInvocation.RunAsync(new ResidencyMiddleware(Guard("West Europe"), NullLogger<ResidencyMiddleware>.Instance), "GateQuery", Request(), () => Task.FromResult<IActionResult>(new OkResult()));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task Invoke_RefusalRaisedByAnIntakeService_AnsweredTheSameWay()
    {
        var response = await MiddlewareInvocation.RunAsync(new ResidencyMiddleware(Guard("West Europe"), NullLogger<ResidencyMiddleware>.Instance), "CustomsNotification", Request(),
            () => throw new ResidencyViolationException("Region 'x' is not an approved region for customs data."));

        Assert.Equal(503, response.Status);
        Assert.Equal(ResidencyMiddleware.Title, response.Json.GetProperty("title").GetString());
    }
}
