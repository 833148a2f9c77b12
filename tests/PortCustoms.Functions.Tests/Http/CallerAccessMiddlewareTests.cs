using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud;
using PortCustoms.Cloud.Security;
using PortCustoms.Functions.Http;
using PortCustoms.Functions.Tests.Fixtures;

namespace PortCustoms.Functions.Tests.Http;

/// <summary>Caller identity, roles and rates, in one place: the worker middleware in front of every HTTP function.</summary>
public sealed class CallerAccessMiddlewareTests
{
    private static CallerAccessPolicy Policy(RunMode mode, params (string Key, string? Value)[] settings) =>
        CallerAccessPolicy.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(), mode);

    private static CallerAccessMiddleware Middleware(CallerAccessPolicy policy, RateLimitOptions? rates = null) => new(
        new CallerResolver(policy, new CallerCertificateValidator(Options.Create(new CallerCertificateOptions()), TimeProvider.System)),
        new CallerRateLimiter(Options.Create(rates ?? new RateLimitOptions())),
        NullLogger<CallerAccessMiddleware>.Instance);

    private static string Principal(params (string Type, string Value)[] claims) => Convert.ToBase64String(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
    })));

    private static HttpRequest Request(params (string Header, string Value)[] headers)
    {
        var request = new DefaultHttpContext().Request;
        foreach (var (header, value) in headers)
        {
            request.Headers[header] = value;
        }
        return request;
    }

    private static async Task<(HttpResult Response, bool Ran)> RunAsync(CallerAccessMiddleware middleware, string function, HttpRequest request)
    {
        var ran = false;
        var response = await MiddlewareInvocation.RunAsync(middleware, function, request, () =>
        {
            ran = true;
            return Task.FromResult<IActionResult>(new OkResult());
        });
        return (response, ran);
    }

    [Fact]
    public void Every_HTTP_function_declares_its_roles()
    {
        var http = typeof(PortCustomsApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetParameters().Any(p => p.GetCustomAttributes(typeof(HttpTriggerAttribute), false).Length > 0))
            .Select(m => ((FunctionAttribute)m.GetCustomAttributes(typeof(FunctionAttribute), false).Single()).Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(http, RouteAccess.Declared.Keys.Order(StringComparer.Ordinal));
        var roles = RouteAccess.Declared.Values.ToDictionary(a => a.FunctionName, a => a.Roles is null ? "anyone" : string.Join(",", a.Roles));
        Assert.Equal(new Dictionary<string, string>
        {
            ["ContainerView"] = "terminal,customs,operator",
            ["CustomsNotification"] = "customs",
            ["GateQuery"] = "terminal",
            ["Health"] = "anyone",
            ["Kpis"] = "operator",
            ["OpenApi"] = "anyone",
            ["OpsDashboard"] = "operator",
            ["PostEvents"] = "terminal",
            ["ReconciliationResolve"] = "operator",
            ["ReconciliationStart"] = "operator",
            ["ReconciliationStatus"] = "operator",
        }.OrderBy(kv => kv.Key, StringComparer.Ordinal), roles.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Program_registers_the_app_worker_middleware_in_order_after_the_AspNetCore_integration()
    {
        var program = File.ReadAllText(PortCustoms.TestSupport.RepositoryPaths.Combine("functions", "PortCustoms.Functions", "Program.cs"));
        var integration = program.IndexOf("ConfigureFunctionsWebApplication()", StringComparison.Ordinal);
        var positions = PortCustomsApp.WorkerMiddleware.Select(t => program.IndexOf($"UseMiddleware<{t.Name}>()", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > integration && integration >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(typeof(CallerAccessMiddleware), PortCustomsApp.WorkerMiddleware[0]);
    }

    [Fact]
    public async Task In_Azure_a_request_without_an_identity_is_401_and_never_runs()
    {
        var (response, ran) = await RunAsync(Middleware(Policy(RunMode.Azure, ("WEBSITE_AUTH_ENABLED", "True"))), "CustomsNotification", Request());

        Assert.False(ran);
        Assert.Equal(401, response.Status);
        Assert.StartsWith(Problems.ContentType, response.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_without_a_session_is_sent_to_sign_in_for_the_operations_page_only()
    {
        var middleware = Middleware(Policy(RunMode.Azure, ("WEBSITE_AUTH_ENABLED", "True")));
        var browser = Request(("Accept", "text/html,application/xhtml+xml"));
        browser.Path = "/api/v1/ops";
        browser.QueryString = new QueryString("?window=PT6H");

        var (page, pageRan) = await RunAsync(middleware, "OpsDashboard", browser);
        var (kpis, kpisRan) = await RunAsync(middleware, "Kpis", Request(("Accept", "text/html")));
        var (script, scriptRan) = await RunAsync(middleware, "OpsDashboard", Request(("Accept", "application/json")));

        Assert.False(pageRan);
        Assert.Equal(302, page.Status);
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fv1%2Fops%3Fwindow%3DPT6H", browser.HttpContext.Response.Headers.Location.ToString());
        Assert.False(kpisRan);
        Assert.Equal(401, kpis.Status);
        Assert.False(scriptRan);
        Assert.Equal(401, script.Status);

        // Without App Service authentication there is nowhere to sign in: 401 as for any caller.
        var (off, offRan) = await RunAsync(Middleware(Policy(RunMode.Azure)), "OpsDashboard", Request(("Accept", "text/html")));
        Assert.False(offRan);
        Assert.Equal(401, off.Status);
    }

    [Fact]
    public async Task With_App_Service_authentication_on_a_terminal_principal_is_refused_customs_notifications_403()
    {
        var middleware = Middleware(Policy(RunMode.Azure, ("WEBSITE_AUTH_ENABLED", "True")));
        var terminal = Principal(("oid", "11111111-1111-1111-1111-111111111111"), ("roles", "terminal"));

        var (refused, ranRefused) = await RunAsync(middleware, "CustomsNotification", Request(("X-MS-CLIENT-PRINCIPAL", terminal)));
        var (allowed, ranAllowed) = await RunAsync(middleware, "GateQuery", Request(("X-MS-CLIENT-PRINCIPAL", terminal)));

        Assert.False(ranRefused);
        Assert.Equal(403, refused.Status);
        Assert.True(ranAllowed);
        Assert.Equal(200, allowed.Status);
    }

    [Fact]
    public async Task With_App_Service_authentication_off_principal_headers_are_ignored()
    {
        var forged = Principal(("oid", "22222222-2222-2222-2222-222222222222"), ("roles", "customs"));

        var (response, ran) = await RunAsync(Middleware(Policy(RunMode.Azure)), "CustomsNotification",
            Request(("X-MS-CLIENT-PRINCIPAL", forged), ("X-MS-CLIENT-PRINCIPAL-NAME", "customs@forged")));

        Assert.False(ran);
        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task In_Azure_development_identity_headers_are_ignored()
    {
        var (response, ran) = await RunAsync(Middleware(Policy(RunMode.Azure, ("LocalHost:Roles", "on"))), "CustomsNotification",
            Request(("X-PortCustoms-Dev-Roles", "customs")));

        Assert.False(ran);
        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task On_LocalHost_roles_are_off_unless_started_with_them_on()
    {
        var (off, ranOff) = await RunAsync(Middleware(Policy(RunMode.LocalHost)), "CustomsNotification", Request());
        var (on, ranOn) = await RunAsync(Middleware(Policy(RunMode.LocalHost, ("LocalHost:Roles", "on"))), "CustomsNotification", Request(("X-PortCustoms-Dev-Roles", "terminal")));
        var (customs, ranCustoms) = await RunAsync(Middleware(Policy(RunMode.LocalHost, ("LocalHost:Roles", "on"))), "CustomsNotification", Request(("X-PortCustoms-Dev-Roles", "customs")));

        Assert.True(ranOff);
        Assert.Equal(200, off.Status);
        Assert.False(ranOn);
        Assert.Equal(403, on.Status);
        Assert.True(ranCustoms);
        Assert.Equal(200, customs.Status);
    }

    [Fact]
    public void LocalHost_Roles_must_be_on_or_off()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Policy(RunMode.LocalHost, ("LocalHost:Roles", "maybe")));
        Assert.Contains("LocalHost:Roles", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_routes_take_any_caller_with_roles_enforced()
    {
        var (response, ran) = await RunAsync(Middleware(Policy(RunMode.Azure)), "Health", Request());

        Assert.True(ran);
        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task A_caller_over_its_rate_gets_429_with_Retry_After_and_another_caller_goes_on()
    {
        var rates = new RateLimitOptions();
        rates.Groups["gate"] = new RateLimitRule { PermitLimit = 2, Window = TimeSpan.FromMinutes(1) };
        var middleware = Middleware(Policy(RunMode.LocalHost, ("LocalHost:Roles", "on")), rates);
        HttpRequest As(string caller) => Request(("X-PortCustoms-Dev-Roles", "terminal"), ("X-PortCustoms-Dev-Caller", caller));

        Assert.Equal(200, (await RunAsync(middleware, "GateQuery", As("a"))).Response.Status);
        Assert.Equal(200, (await RunAsync(middleware, "GateQuery", As("a"))).Response.Status);
        var limitedRequest = As("a");
        var (limited, ran) = await RunAsync(middleware, "GateQuery", limitedRequest);
        var (other, ranOther) = await RunAsync(middleware, "GateQuery", As("b"));
        var (otherGroup, _) = await RunAsync(middleware, "ContainerView", As("a"));

        Assert.False(ran);
        Assert.Equal(429, limited.Status);
        Assert.StartsWith(Problems.ContentType, limited.ContentType, StringComparison.Ordinal);
        Assert.True(int.Parse(limitedRequest.HttpContext.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(ranOther);
        Assert.Equal(200, other.Status);
        Assert.Equal(200, otherGroup.Status);
    }

    [Fact]
    public void Rates_must_be_positive()
    {
        var rates = new RateLimitOptions();
        rates.Groups["gate"] = new RateLimitRule { PermitLimit = 0 };

        Assert.True(new RateLimitOptionsValidator().Validate(null, rates).Failed);
    }

    [Fact]
    public void The_App_Service_principal_gives_the_object_id_and_roles_and_garbage_gives_no_caller()
    {
        var caller = CallerResolver.FromPrincipal(Principal(("oid", "33333333-3333-3333-3333-333333333333"), ("roles", "operator"), ("roles", "terminal")));

        Assert.NotNull(caller);
        Assert.Equal(["operator", "terminal"], caller.Roles);
        Assert.Null(CallerResolver.FromPrincipal("not base64!"));
    }

    [Fact]
    public void The_policy_says_at_start_whether_roles_are_enforced()
    {
        Assert.Contains("NOT enforced", Policy(RunMode.LocalHost).Describe(), StringComparison.Ordinal);
        Assert.Contains("X-PortCustoms-Dev-Roles", Policy(RunMode.LocalHost, ("LocalHost:Roles", "on")).Describe(), StringComparison.Ordinal);
        Assert.Contains("App Service authentication is off", Policy(RunMode.Azure).Describe(), StringComparison.Ordinal);
        Assert.True(Policy(RunMode.Azure, ("WEBSITE_AUTH_ENABLED", "True")).AppServiceAuthentication);
        Assert.False(Policy(RunMode.LocalHost, ("WEBSITE_AUTH_ENABLED", "True"), ("LocalHost:Roles", "on")).AppServiceAuthentication);
    }
}
