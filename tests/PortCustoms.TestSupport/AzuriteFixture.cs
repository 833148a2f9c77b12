using System.Diagnostics;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Xunit;

namespace PortCustoms.TestSupport;

/// <summary>
/// A real Azurite (blob, queue, table) on free loopback ports, in memory, for one test collection.
/// Started from the repository's pinned npm dependency; the process tree is killed on dispose.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    // The published development-storage account; Azurite accepts only this key.
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public BlobServiceClient CreateBlobServiceClient() => new(ConnectionString);

    public TableServiceClient CreateTableServiceClient() => new(ConnectionString);

    public async Task InitializeAsync()
    {
        var script = RepositoryPaths.Combine("node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}: run 'npm ci' in {RepositoryPaths.Root}.");
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var ports = FreePorts.Take(3);
            (BlobPort, QueuePort, TablePort) = (ports[0], ports[1], ports[2]);
            _process = StartAzurite(script);
            try
            {
                await WaitUntilListeningAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                last = ex;
                Kill();
            }
        }
        throw new InvalidOperationException("Azurite did not start.", last);
    }

    public Task DisposeAsync()
    {
        Kill();
        return Task.CompletedTask;
    }

    private Process StartAzurite(string script)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in new[]
        {
            script,
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The SDK sends an API version newer than Azurite knows.
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent",
        })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start.");
        // Drain the pipes so a chatty child can never block on a full buffer.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (true)
            {
                if (_process is null || _process.HasExited)
                {
                    throw new InvalidOperationException("Azurite exited during start (port taken?).");
                }
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100).ConfigureAwait(false);
                }
                catch (SocketException ex)
                {
                    throw new TimeoutException($"Azurite did not listen on {port} within {timeout}.", ex);
                }
            }
        }
    }

    private void Kill()
    {
        if (_process is { HasExited: false })
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
        _process?.Dispose();
        _process = null;
    }
}
