using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace PortCustoms.Benchmarks.Gate;

/// <summary>
/// An open-loop client for gate-load.sh (wrk2 is not available here): sends gate queries at a fixed rate for a fixed
/// time, each with a new gateTransactionId, and reports latency percentiles measured from each request's scheduled
/// start (so a stalled server shows up in the tail instead of slowing the sender: no coordinated omission).
/// Bounded: stops after the duration, with at most --max-in-flight requests outstanding (excess ones are counted late).
/// </summary>
internal static class PacedLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = new Uri(GateLimitServer.Arg(args, "--url") ?? throw new ArgumentException("--url is required."));
        var rate = double.Parse(GateLimitServer.Arg(args, "--rate") ?? "100", CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(double.Parse(GateLimitServer.Arg(args, "--duration") ?? "20", CultureInfo.InvariantCulture));
        var container = GateLimitServer.Arg(args, "--container") ?? "MSCU1234566";
        var maxInFlight = int.Parse(GateLimitServer.Arg(args, "--max-in-flight") ?? "512", CultureInfo.InvariantCulture);
        var run = Guid.NewGuid().ToString("N")[..8];

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = maxInFlight, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var failures = 0;
        var inFlight = 0;
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            while (Volatile.Read(ref inFlight) >= maxInFlight)
            {
                await Task.Delay(1);
            }
            var index = i;
            Interlocked.Increment(ref inFlight);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var body = $$"""{"containerNumber":"{{container}}","direction":"OUT","gateTransactionId":"P-{{run}}-{{index}}","terminal":"NLRTM-ECT"}""";
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await client.PostAsync(url, content);
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
                catch (TaskCanceledException)
                {
                    Interlocked.Increment(ref failures);
                }
                finally
                {
                    latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
                    Interlocked.Decrement(ref inFlight);
                }
            }));
        }
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        double P(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"paced rate={rate:0} req/s sent={total} achieved={total / elapsed.TotalSeconds:0.0} req/s failures={failures} p50={P(0.50):0.00} ms p90={P(0.90):0.00} ms p99={P(0.99):0.00} ms max={latencies[^1]:0.00} ms"));
        return failures == 0 ? 0 : 1;
    }
}
