using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortCustoms.Cli.Simulator;

/// <summary>How the customs platform simulator behaves: where it listens, what it answers, which faults it injects.</summary>
public sealed class CustomsSimulatorOptions
{
    /// <summary>Loopback port; 0 picks a free one (see <see cref="CustomsSimulator.BaseAddress"/>).</summary>
    public int Port { get; set; }

    /// <summary>
    /// Message format the platform speaks: <c>json</c>, <c>edifact</c> or <c>xml</c> (WCO XML: status-event deliveries
    /// must be valid <c>ContainerStatusReport</c> documents, notifications go out as <c>CustomsResponse</c>). Status
    /// queries are answered in the format they arrive in.
    /// </summary>
    public string Format { get; set; } = "json";

    /// <summary>Added before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Share of requests (0..1) answered 500, for status queries and status-event deliveries alike.</summary>
    public double FailRate { get; set; }

    /// <summary>Share of status queries (0..1) answered 200 with a body that is not a valid answer.</summary>
    public double MalformedRate { get; set; }

    public SimulatorRules Rules { get; set; } = new();

    /// <summary>Seed for the fault dice, for repeatable runs; null: random.</summary>
    public int? Seed { get; set; }

    /// <summary>Serve HTTPS with this certificate (with private key). Null: plain HTTP.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>Require a client certificate chaining to this root (mutual TLS). Needs <see cref="ServerCertificate"/>.</summary>
    public X509Certificate2? TrustedClientRoot { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Port is < 0 or > 65535)
        {
            problems.Add("--port must be 0..65535.");
        }
        if (!string.Equals(Format, "json", StringComparison.OrdinalIgnoreCase) && !string.Equals(Format, "edifact", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Format, "xml", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"--format {Format} is not one of json, edifact, xml (status queries are answered in the format they arrive in).");
        }
        if (Latency < TimeSpan.Zero)
        {
            problems.Add("--latency must not be negative.");
        }
        if (FailRate is < 0 or > 1 || double.IsNaN(FailRate))
        {
            problems.Add("--fail-rate must be between 0 and 1.");
        }
        if (MalformedRate is < 0 or > 1 || double.IsNaN(MalformedRate))
        {
            problems.Add("--malformed-rate must be between 0 and 1.");
        }
        if (TrustedClientRoot is not null && ServerCertificate is null)
        {
            problems.Add("Mutual TLS needs a server certificate.");
        }
        problems.AddRange(Rules.Validate());
        return problems;
    }
}

/// <summary>
/// What the simulator answers to status queries: the first rule whose <c>match</c> is the container number, else the
/// longest matching prefix rule (<c>"MSCU*"</c>), else <see cref="Default"/>. Codes are the authority's (UN 7365 by default).
/// </summary>
/// <example>
/// <code>{ "default": { "statusCode": "7" }, "rules": [ { "match": "MSCU1234566", "statusCode": "4", "customsReference": "24NL0000000000001" }, { "match": "CSQU*", "statusCode": "5" } ] }</code>
/// </example>
public sealed class SimulatorRules
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public SimulatorAnswer Default { get; set; } = new() { StatusCode = "4" };

    public List<SimulatorRule> Rules { get; set; } = [];

    public static SimulatorRules Parse(string json) =>
        JsonSerializer.Deserialize<SimulatorRules>(json, s_json) ?? throw new JsonException("The rules file is empty.");

    public static async Task<SimulatorRules> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<SimulatorRules>(stream, s_json, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("The rules file is empty.");
        }
    }

    public SimulatorAnswer Resolve(string containerNumber)
    {
        ArgumentNullException.ThrowIfNull(containerNumber);
        SimulatorRule? best = null;
        foreach (var rule in Rules)
        {
            if (rule.Match == containerNumber)
            {
                return rule;
            }
            if (rule.Match.EndsWith('*') && containerNumber.StartsWith(rule.Match[..^1], StringComparison.Ordinal)
                && (best is null || rule.Match.Length > best.Match.Length))
            {
                best = rule;
            }
        }
        return best ?? Default;
    }

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Default?.StatusCode))
        {
            yield return "rules: the default needs a statusCode.";
        }
        foreach (var rule in Rules)
        {
            if (string.IsNullOrWhiteSpace(rule.Match) || string.IsNullOrWhiteSpace(rule.StatusCode))
            {
                yield return "rules: every rule needs match and statusCode.";
            }
        }
    }
}

public class SimulatorAnswer
{
    public string StatusCode { get; set; } = string.Empty;

    public string? CustomsReference { get; set; }
}

public sealed class SimulatorRule : SimulatorAnswer
{
    /// <summary>A container number, or a prefix ending in <c>*</c>.</summary>
    [JsonPropertyName("match")]
    public string Match { get; set; } = string.Empty;
}
