using System.Diagnostics;
using System.Net.Http;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Fixtures;

/// <summary>
/// PortCustoms.LocalHost as a real child process (<c>dotnet PortCustoms.LocalHost.dll --Key=Value ...</c>, the build
/// output this test project carries), so that a test can kill it as a crash would: SIGKILL, no shutdown code runs.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private LocalHostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public static async Task<LocalHostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan patience)
    {
        var port = FreePorts.Take(1)[0];
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PortCustoms.LocalHost.dll"));
        start.ArgumentList.Add($"--LocalHost:Port={port}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new LocalHostProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var guard = new CancellationTokenSource(patience);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"LocalHost exited with {process.ExitCode} before serving:{Environment.NewLine}{host.Output}");
            }
            try
            {
                using var response = await host.Client.GetAsync("api/v1/health", guard.Token);
                return host;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, guard.Token);
            }
        }
    }

    /// <summary>SIGKILL, as a crash or an out-of-memory kill: no graceful shutdown, nothing flushed, no lock released.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }
}
