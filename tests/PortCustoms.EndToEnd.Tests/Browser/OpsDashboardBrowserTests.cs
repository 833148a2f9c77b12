using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using PortCustoms.Core.Model;
using PortCustoms.EndToEnd.Tests.Fixtures;

namespace PortCustoms.EndToEnd.Tests.Browser;

/// <summary>
/// The operations page in a real headless Chromium (Debian's, driven by Playwright): it loads from the app, draws its
/// charts, and shows the numbers <c>/api/v1/kpis</c> gives.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OpsDashboardBrowserTests(AppHostFixture fixture)
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static int s_serial;

    private static async Task EnsureChromiumAsync()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }
        var script = Path.Combine(AppContext.BaseDirectory, "Browser", "install-chromium.sh");
        using var install = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = install.StandardError.ReadToEndAsync();
        await install.StandardOutput.ReadToEndAsync();
        await install.WaitForExitAsync();
        Assert.True(install.ExitCode == 0 && File.Exists(ChromiumPath), $"Chromium could not be installed for the browser test ({script}, exit {install.ExitCode}): {await stderr}");
    }

    private static string NewContainer()
    {
        var firstTen = "OPSU" + (Interlocked.Increment(ref s_serial) + 300_000).ToString("D6", CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    [Fact]
    public async Task The_page_loads_draws_its_charts_and_shows_the_kpis_numbers()
    {
        await EnsureChromiumAsync();
        await using var app = await AppHost.StartAsync(fixture.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Operations:Kpis:TableName"] = "Ops" + Guid.NewGuid().ToString("N")[..10],
            ["Operations:Kpis:FlushInterval"] = "00:00:01",
        });
        for (var i = 0; i < 4; i++)
        {
            var container = NewContainer();
            using var gate = await app.Client.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = container, direction = "OUT", gateTransactionId = "G-" + container, terminal = "NLRTM-ECT" });
            Assert.Equal(HttpStatusCode.OK, gate.StatusCode);
        }
        JsonElement kpis = default;
        for (var attempt = 0; attempt < 120; attempt++)
        {
            kpis = JsonDocument.Parse(await app.Client.GetStringAsync("api/v1/kpis?window=PT1H")).RootElement.Clone();
            if (kpis.GetProperty("gate").GetProperty("answers").GetInt64() == 4)
            {
                break;
            }
            await Task.Delay(250);
        }
        Assert.Equal(4, kpis.GetProperty("gate").GetProperty("answers").GetInt64());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 120_000,
            // As the machine's probe starts it: the closed network refuses Chromium's background connections.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        List<string> failures = [];
        page.PageError += (_, error) => failures.Add(error);
        // The browser's own favicon request is not the page's.
        page.RequestFailed += (_, request) =>
        {
            if (!request.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                failures.Add($"{request.Url}: {request.Failure}");
            }
        };

        // Generous timeouts: Chromium starts slowly on a loaded two-core machine; the test measures behaviour, not speed.
        page.SetDefaultTimeout(90_000);
        var response = await page.GotoAsync(new Uri(app.Host.BaseAddress, "api/v1/ops").ToString(), new PageGotoOptions { Timeout = 90_000 });
        Assert.Equal(200, response!.Status);
        // A selector wait, not WaitForFunction: a string predicate that is not true at once is polled through eval, which
        // the page's CSP (no 'unsafe-eval') refuses; that failed the test now and then on a loaded machine.
        await page.Locator("body[data-loaded]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 90_000 });
        Assert.True("true" == await page.GetAttributeAsync("body", "data-loaded"), $"the page did not load its KPIs: {await page.InnerTextAsync("#status")}; {string.Join("; ", failures)}");
        Assert.Empty(failures);

        // The tiles show what /kpis says.
        Assert.Equal("4", await page.InnerTextAsync("#kpi-gate-answers"));
        var p95 = kpis.GetProperty("gate").GetProperty("p95Ms").GetDouble();
        Assert.Equal($"{Math.Round(p95, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)} ms", await page.InnerTextAsync("#kpi-gate-p95"));
        Assert.Contains("HOLD 4", await page.InnerTextAsync("#kpi-gate-decisions"), StringComparison.Ordinal);
        Assert.Equal("–", await page.InnerTextAsync("#kpi-success-rate"));

        // Each chart is drawn: the gate chart has a line with points summing to the series' p95 values, and the 3 s target.
        foreach (var chart in new[] { "chart-delivery", "chart-gate", "chart-queue", "chart-errors" })
        {
            Assert.True(await page.Locator($"#{chart} line.axis").CountAsync() >= 2, $"{chart} has no axes");
        }
        var gateLine = page.Locator("#chart-gate path.series");
        Assert.Equal(1, await gateLine.CountAsync());
        var points = int.Parse(await gateLine.GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture);
        var expectedPoints = kpis.GetProperty("series").EnumerateArray().Count(s => s.GetProperty("gateP95Ms").ValueKind == JsonValueKind.Number);
        Assert.Equal(expectedPoints, points);
        Assert.True(points >= 1);
        var sum = double.Parse(await gateLine.GetAttributeAsync("data-sum") ?? "0", CultureInfo.InvariantCulture);
        var expectedSum = kpis.GetProperty("series").EnumerateArray().Where(s => s.GetProperty("gateP95Ms").ValueKind == JsonValueKind.Number).Sum(s => s.GetProperty("gateP95Ms").GetDouble());
        Assert.Equal(expectedSum, sum, 3);
        Assert.Equal("3000", await page.Locator("#chart-gate line.target-line").GetAttributeAsync("data-target"));

        // A screenshot renders (the page has a size and paints).
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        Assert.True(png.Length > 10_000);
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "ops-dashboard.png"), png);
    }
}
