using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace PortCustoms.Shared;

/// <summary>
/// Azurite (blob, queue, table) as a child process, from the repository's pinned npm dependency
/// (package.json at the root). Shared source: linked into PortCustoms.LocalHost and the test support project.
/// </summary>
internal sealed class AzuriteProcess : IDisposable
{
    // The published development-storage account; Azurite accepts only this key. Never used outside local runs.
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    private AzuriteProcess(int blobPort, int queuePort, int tablePort)
    {
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>True when this instance started the process (false when it found Azurite already listening).</summary>
    public bool Owned => _process is not null;

    public string ConnectionString => BuildConnectionString(BlobPort, QueuePort, TablePort);

    public static string BuildConnectionString(int blobPort, int queuePort, int tablePort) =>
        string.Create(CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};");

    public static string ScriptPath(string repositoryRoot) =>
        Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");

    /// <summary>Runs <c>npm ci</c> in the repository when Azurite is not installed yet.</summary>
    public static async Task EnsureInstalledAsync(string repositoryRoot, Action<string> log, CancellationToken cancellationToken)
    {
        if (File.Exists(ScriptPath(repositoryRoot)))
        {
            return;
        }
        log($"Azurite is not installed; running 'npm ci' in {repositoryRoot}.");
        var info = new ProcessStartInfo("npm") { WorkingDirectory = repositoryRoot, UseShellExecute = false };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund" })
        {
            info.ArgumentList.Add(arg);
        }
        using var npm = Process.Start(info) ?? throw new InvalidOperationException("npm did not start; is Node.js installed?");
        await npm.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (npm.ExitCode != 0 || !File.Exists(ScriptPath(repositoryRoot)))
        {
            throw new InvalidOperationException($"'npm ci' failed (exit {npm.ExitCode}); Azurite is needed for local storage.");
        }
    }

    /// <summary>
    /// Starts Azurite on the given ports and waits until all three listen. With <paramref name="location"/> null it keeps
    /// everything in memory (tests); otherwise it persists under that folder (a developer's local run).
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(
        string repositoryRoot, int blobPort, int queuePort, int tablePort, string? location, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var azurite = new AzuriteProcess(blobPort, queuePort, tablePort);
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = location ?? Path.GetTempPath(),
        };
        var args = new List<string>
        {
            ScriptPath(repositoryRoot),
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(CultureInfo.InvariantCulture),
            // The SDK sends an API version newer than Azurite knows.
            "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent",
        };
        if (location is null)
        {
            args.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            args.AddRange(["--location", location]);
        }
        args.ForEach(info.ArgumentList.Add);
        azurite._process = Process.Start(info) ?? throw new InvalidOperationException("node did not start; is Node.js installed?");
        // Drain the pipes so a chatty child can never block on a full buffer.
        azurite._process.OutputDataReceived += static (_, _) => { };
        azurite._process.ErrorDataReceived += static (_, _) => { };
        azurite._process.BeginOutputReadLine();
        azurite._process.BeginErrorReadLine();
        try
        {
            await azurite.WaitUntilListeningAsync(timeout, cancellationToken).ConfigureAwait(false);
            return azurite;
        }
        catch
        {
            azurite.Dispose();
            throw;
        }
    }

    /// <summary>An Azurite someone else runs (a developer's own, on the default ports): used, never stopped.</summary>
    public static AzuriteProcess Existing(int blobPort, int queuePort, int tablePort) => new(blobPort, queuePort, tablePort);

    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await IsListeningAsync(port, cancellationToken).ConfigureAwait(false))
            {
                if (_process is null || _process.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited during start (is port {port} taken?).");
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Azurite did not listen on {port} within {timeout}.");
                }
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
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
