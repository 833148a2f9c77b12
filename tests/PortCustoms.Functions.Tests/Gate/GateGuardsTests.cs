using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Functions.Containers;
using PortCustoms.Functions.Customs;
using PortCustoms.Functions.Gate;
using PortCustoms.Functions.Http;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Gate;

/// <summary>Residency (no customs data processed outside approved regions) and the customs platform's client certificate.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GateGuardsTests(AzuriteFixture azurite)
{
    private static string Forwarded(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => Convert.ToBase64String(certificate.RawData);

    [Fact]
    public async Task Outside_the_approved_regions_every_gate_function_refuses_with_503_and_stores_nothing()
    {
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?>
        {
            ["Residency:AllowedRegions:0"] = "westeurope",
            ["REGION_NAME"] = "East US",
        });
        var residency = new ResidencyMiddleware(app.Services.GetRequiredService<Core.Residency.ResidencyGuard>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ResidencyMiddleware>.Instance);

        var gateRequest = FunctionApp.Post(FunctionApp.GateQuery());
        var gate = await MiddlewareInvocation.RunAsync(residency, "GateQuery", gateRequest, () => app.Function<GateQueryFunction>().RunAsync(gateRequest, CancellationToken.None));
        var notificationRequest = FunctionApp.Post(FunctionApp.Notification("CN-1", "RELEASED", "2026-11-26T07:10:00Z"));
        var notification = await MiddlewareInvocation.RunAsync(residency, "CustomsNotification", notificationRequest,
            () => app.Function<CustomsNotificationFunction>().RunAsync(notificationRequest, CancellationToken.None));
        var viewRequest = FunctionApp.Get("containerNumber", "MSCU1234566");
        var view = await MiddlewareInvocation.RunAsync(residency, "ContainerView", viewRequest, () => app.Function<ContainerViewFunction>().RunAsync(viewRequest, null, CancellationToken.None));

        Assert.Equal((503, 503, 503), (gate.Status, notification.Status, view.Status));
        Assert.Contains("eastus", gate.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(ResidencyMiddleware.Title, notification.Json.GetProperty("title").GetString());
        Assert.Null(await app.Services.GetRequiredService<Core.Gate.GateDecisionStore>().GetAsync("NLRTM-ECT", "G-2026-000123"));
        Assert.Empty(await app.Services.GetRequiredService<Core.Customs.CustomsStateStore>().GetHistoryAsync(FunctionApp.Container("MSCU1234566")));
    }

    [Fact]
    public async Task Outside_the_approved_regions_the_intake_services_refuse_before_reading_anything()
    {
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?>
        {
            ["Residency:AllowedRegions:0"] = "westeurope",
            ["REGION_NAME"] = "East US",
        });
        // Called directly (as the CLI or a batch would), without the HTTP middleware in front.
        await Assert.ThrowsAsync<Core.Residency.ResidencyViolationException>(() => app.Services.GetRequiredService<Core.Gate.GateQueryIntake>()
            .QueryAsync(System.Text.Encoding.UTF8.GetBytes(FunctionApp.GateQuery()), "test"));
        await Assert.ThrowsAsync<Core.Residency.ResidencyViolationException>(() => app.Services.GetRequiredService<Core.Customs.CustomsNotificationIntake>()
            .ReceiveJsonAsync(System.Text.Encoding.UTF8.GetBytes(FunctionApp.Notification("CN-1", "RELEASED", "2026-11-26T07:10:00Z"))));
    }

    [Fact]
    public async Task Notifications_need_the_customs_platform_certificate_when_required()
    {
        using var customsCa = new TestCertificates("Customs CA");
        using var stranger = new TestCertificates("Stranger CA");
        using var customs = customsCa.IssueClient("customs-platform");
        using var impostor = stranger.IssueClient("customs-platform");
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?>
        {
            ["CallerCertificates:Required"] = "true",
            ["CallerCertificates:TrustedRoots:0"] = customsCa.AuthorityPem,
        });
        // The test certificates are valid from an hour ago: bring the app's clock to now.
        app.Time.SetUtcNow(DateTimeOffset.UtcNow);

        async Task<int> PostAsync(string id, Action<HttpRequest>? configure) =>
            (await FunctionApp.ExecuteAsync(await app.Function<CustomsNotificationFunction>().RunAsync(
                FunctionApp.Post(FunctionApp.Notification(id, "RELEASED", "2026-11-26T07:10:00Z"), configure: configure), CancellationToken.None))).Status;

        Assert.Equal(401, await PostAsync("CN-1", null));
        Assert.Equal(403, await PostAsync("CN-2", r => r.Headers["X-ARR-ClientCert"] = Forwarded(impostor)));
        Assert.Equal(202, await PostAsync("CN-3", r => r.Headers["X-ARR-ClientCert"] = Forwarded(customs)));
        Assert.Equal(["CN-3"], (await app.Services.GetRequiredService<Core.Customs.CustomsStateStore>().GetHistoryAsync(FunctionApp.Container("MSCU1234566"))).Select(h => h.Notification.NotificationId));
    }

    [Fact]
    public async Task Gate_audit_records_whether_the_callers_certificate_verified()
    {
        using var ca = new TestCertificates("Terminal CA");
        using var terminal = ca.IssueClient("ect-tos");
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?> { ["CallerCertificates:TrustedRoots:0"] = ca.AuthorityPem });
        app.Time.SetUtcNow(DateTimeOffset.UtcNow);

        await app.Function<GateQueryFunction>().RunAsync(FunctionApp.Post(FunctionApp.GateQuery(), configure: r => r.Headers["X-ARR-ClientCert"] = Forwarded(terminal)), CancellationToken.None);

        var audit = await app.Services.GetRequiredService<Core.Gate.GateDecisionStore>().GetAsync("NLRTM-ECT", "G-2026-000123");
        Assert.Equal($"certificate:{terminal.Thumbprint} (verified)", audit!.Query.Caller);
    }
}
