using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Model;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Operations;

/// <summary>
/// No secret, key, certificate material or personal data in any log line: the app runs the flows that carry them
/// (notifications with free text, a manifest with consignee names, gate queries with a function key and a client
/// certificate header, bad input of each kind) with every log level on, and each line it wrote is scanned.
/// </summary>
public sealed class LogHygieneEndToEndTests : IAsyncLifetime
{
    // Azurite's published development key: a connection string in a log line would carry it.
    private const string StorageKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string FunctionKey = "fk-7Q2mZ9xLwP4vR8sT1uY6";
    private const string PersonInReason = "Jan Jansen, Dorpsstraat 12, Zeist";

    private readonly AzuriteFixture _azurite = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly TestCertificates _pki = new();
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _app = await AppHost.StartAsync(_azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["LocalHost:BlobPollInterval"] = "00:00:00.200",
        }, services => services.AddSingleton<ILoggerProvider>(_logs));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task No_log_line_carries_keys_certificates_or_personal_data()
    {
        using var client = _pki.IssueClient("customs-platform");
        var certificateHeader = Convert.ToBase64String(client.RawData);
        var http = _app.Client;
        http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        http.DefaultRequestHeaders.Add("X-ARR-ClientCert", certificateHeader);

        // A notification with personal data in its free text, then one that is refused.
        var container = "MSCU" + "654321";
        container += ContainerNumber.ComputeCheckDigit(container);
        using (var accepted = await http.PostAsJsonAsync("api/v1/customs/notifications", new
        {
            notificationId = $"CN-{Guid.NewGuid():N}", containerNumber = container, status = "HOLD",
            customsReference = "24NL0000000000009", issuedAt = "2026-11-26T07:10:00Z", reason = PersonInReason,
        }))
        {
            Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        }
        using (await http.PostAsJsonAsync("api/v1/customs/notifications", new { notificationId = "X", containerNumber = "MSCU1234567", status = "RELEASED", reason = PersonInReason })) { }

        // Gate queries, good and bad; events, good and bad.
        using (await http.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = container, direction = "OUT", gateTransactionId = $"G-{Guid.NewGuid():N}", terminal = "NLRTM-ECT", requestedAt = "2026-11-26T08:15:00+01:00" })) { }
        using (await http.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = "MSCU1234567", direction = "OUT", gateTransactionId = "G-bad" })) { }
        using (await http.PostAsJsonAsync("api/v1/events", new[] { new { eventId = $"E-{Guid.NewGuid():N}", containerNumber = container, type = "DISCHARGED", occurredAt = "2026-11-26T03:02:00Z", vesselImo = "9811000", voyage = "124E", location = "NLRTM" } })) { }
        using (await http.PostAsJsonAsync("api/v1/events", new[] { new { eventId = "E-bad", containerNumber = "MSCU1234567", type = "DISCHARGED", occurredAt = "yesterday", voyage = PersonInReason } })) { }

        // A broker's manifest naming consignor, consignee and notify party, and a broken file with the same names.
        var manifest = await File.ReadAllTextAsync(RepositoryPaths.Combine("tests", "PortCustoms.Core.Tests", "Translation", "Fixtures", "cuscar-d95b-manifest.edi"), Encoding.Latin1);
        var blobs = _azurite.CreateBlobServiceClient();
        var name = $"broker-h/manifest-{Guid.NewGuid():N}.edi";
        await blobs.GetBlobContainerClient("inbound").GetBlobClient(name).UploadAsync(BinaryData.FromBytes(Encoding.Latin1.GetBytes(manifest)));
        var broken = $"broker-h/broken-{Guid.NewGuid():N}.edi";
        await blobs.GetBlobContainerClient("inbound").GetBlobClient(broken).UploadAsync(BinaryData.FromBytes(Encoding.Latin1.GetBytes(manifest.Replace("UNT+", "UNT+9", StringComparison.Ordinal))));
        await WaitForOutcomeAsync(blobs, name);
        await WaitForOutcomeAsync(blobs, broken);

        var lines = _logs.Lines;
        Assert.NotEmpty(lines);
        string[] forbidden =
        [
            StorageKey, "AccountKey=", FunctionKey, certificateHeader[..40], "BEGIN CERTIFICATE", "PRIVATE KEY",
            PersonInReason, "Dorpsstraat", "Rotterdam Import B.V.", "Shanghai Export Co. Ltd", "Notify Logistics",
        ];
        foreach (var needle in forbidden)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(needle, StringComparison.Ordinal));
            Assert.True(leak is null, $"A log line carries '{needle}': {leak}");
        }
    }

    private static async Task WaitForOutcomeAsync(BlobServiceClient blobs, string name)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            foreach (var (container, suffix) in new[] { ("processed", ".result.json"), ("quarantine", ".error.json") })
            {
                try
                {
                    await blobs.GetBlobContainerClient(container).GetBlobClient(name + suffix).GetPropertiesAsync();
                    return;
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{name} reached neither processed nor quarantine.");
    }

    /// <summary>Every line every logger writes, formatted as a sink would, exception text included.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                lines.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // The structured values too: an exporter sends them even when the message template leaves them out.
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}
