using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace PortCustoms.Cli.Simulator;

/// <summary><c>portcustoms simulate-customs</c>: runs the <see cref="CustomsSimulator"/> until Ctrl+C.</summary>
public static class SimulateCustomsCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback port to listen on (0: any free port).", DefaultValueFactory = _ => 5099 };
        var format = new Option<string>("--format") { Description = "Message format: json, edifact or xml (WCO XML: status events must be valid ContainerStatusReport documents; queries are answered in the format they arrive in).", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "edifact", "xml");
        var latency = new Option<int>("--latency") { Description = "Milliseconds added before every answer.", DefaultValueFactory = _ => 0 };
        var failRate = new Option<double>("--fail-rate") { Description = "Share of requests (0..1) answered 500.", DefaultValueFactory = _ => 0 };
        var malformedRate = new Option<double>("--malformed-rate") { Description = "Share of status queries (0..1) answered with a malformed body.", DefaultValueFactory = _ => 0 };
        var rules = new Option<FileInfo?>("--rules") { Description = "JSON rules file: {\"default\":{\"statusCode\":\"4\"},\"rules\":[{\"match\":\"MSCU*\",\"statusCode\":\"7\"}]}." };
        var seed = new Option<int?>("--seed") { Description = "Seed for the fault dice (repeatable runs)." };
        var tlsPfx = new Option<FileInfo?>("--tls-pfx") { Description = "Serve HTTPS with this PKCS#12 server certificate (with private key)." };
        var tlsPassword = new Option<string?>("--tls-password") { Description = "Password of --tls-pfx, if any." };
        var clientCa = new Option<FileInfo?>("--client-ca") { Description = "Require mutual TLS: client certificates must chain to this CA (PEM). Needs --tls-pfx." };

        var command = new Command("simulate-customs", "A customs platform stand-in for integration testing: live status queries, status-event deliveries, fault injection.")
        {
            port, format, latency, failRate, malformedRate, rules, seed, tlsPfx, tlsPassword, clientCa,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new CustomsSimulatorOptions
            {
                Port = parse.GetValue(port),
                Format = parse.GetValue(format) ?? "json",
                Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                FailRate = parse.GetValue(failRate),
                MalformedRate = parse.GetValue(malformedRate),
                Seed = parse.GetValue(seed),
            };
            if (parse.GetValue(rules) is { } file)
            {
                try
                {
                    options.Rules = await SimulatorRules.LoadAsync(file.FullName, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"--rules {file.FullName}: {ex.Message}").ConfigureAwait(false);
                    return PortCustomsCli.UsageOrFailure;
                }
            }
            try
            {
                if (parse.GetValue(tlsPfx) is { } pfx)
                {
                    options.ServerCertificate = X509CertificateLoader.LoadPkcs12FromFile(pfx.FullName, parse.GetValue(tlsPassword));
                }
                if (parse.GetValue(clientCa) is { } ca)
                {
                    options.TrustedClientRoot = X509Certificate2.CreateFromPemFile(ca.FullName);
                }
            }
            catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"TLS certificate: {ex.Message}").ConfigureAwait(false);
                return PortCustomsCli.UsageOrFailure;
            }
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                }
                return PortCustomsCli.UsageOrFailure;
            }

            CustomsSimulator simulator;
            try
            {
                simulator = await CustomsSimulator.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"The simulator could not listen on port {options.Port}: {ex.Message}").ConfigureAwait(false);
                return PortCustomsCli.UsageOrFailure;
            }
            await using (simulator.ConfigureAwait(false))
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Customs simulator on {simulator.BaseAddress} (format {options.Format}, latency {options.Latency.TotalMilliseconds} ms, fail rate {options.FailRate}, malformed rate {options.MalformedRate}). Ctrl+C stops it.")).ConfigureAwait(false);
                await simulator.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            return PortCustomsCli.Success;
        });
        return command;
    }
}
