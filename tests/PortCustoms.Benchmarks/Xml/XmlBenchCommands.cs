using System.Diagnostics;
using System.Globalization;
using System.Xml;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Xml;

namespace PortCustoms.Benchmarks.Xml;

/// <summary>
/// The modes xml-bench.sh runs: generate a cargo report of a given size (written by <see cref="WcoXmlWriter"/>, so it is
/// valid by construction); measure XML in (validated read into the model), XML in and out (read, then each consignment and
/// piece of equipment written again, validated), and a bare <see cref="XmlReader"/> pass over the same file (the limit);
/// and the peak memory of in-and-out.
/// </summary>
internal static class XmlBenchCommands
{
    private const int FileBufferSize = 64 * 1024;

    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        switch (args)
        {
            case ["xml-generate", var path, var megabytes]:
                exitCode = Generate(path, long.Parse(megabytes, CultureInfo.InvariantCulture) * 1024 * 1024);
                return true;
            case ["xml-throughput", var path, ..]:
                exitCode = Throughput(path, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
                return true;
            case ["xml-peak", var path]:
                exitCode = Peak(path);
                return true;
            default:
                return false;
        }
    }

    /// <summary>One declaration of real-shaped consignments (three parties, two goods items each) and their containers.</summary>
    private static int Generate(string path, long targetBytes)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1024 * 1024);
        var (written, consignments, findings) = WriteReport(file, targetBytes);
        if (findings is not null)
        {
            Console.Error.WriteLine($"The generated report has findings: {findings}");
            return 2;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {path}: {written} bytes, {consignments} consignments and as many containers"));
        return 0;
    }

    private static (long Written, long Consignments, string? Findings) WriteReport(Stream output, long targetBytes)
    {
        using var counting = new CountingStream(output);
        using var writer = new WcoXmlWriter(counting, WcoXmlMessageKind.CargoReport, new WcoMetadata { ResponsibleCountryCode = "NL", ResponsibleAgencyName = "Douane" });
        writer.WriteDeclarationStart(new CargoReportHeader("M1", new ManifestVessel { Imo = ImoNumber.Parse("9811000"), Name = "MSC EXAMPLE" }, "124E", "CNSHA", "NLRTM"));
        var serial = 0;
        var containers = new List<ContainerNumber>();
        ContainerNumber Next()
        {
            var firstTen = "MSCU" + (serial++ % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            return ContainerNumber.Parse(firstTen + ContainerNumber.ComputeCheckDigit(firstTen));
        }
        long consignments = 0;
        // The equipment follows the consignments (the schema's order): its share of the file (about 1/7) is kept for it.
        while (counting.Written < targetBytes * 0.86)
        {
            consignments++;
            var container = Next();
            containers.Add(container);
            writer.WriteConsignment(new ManifestConsignment
            {
                BillOfLading = "MEDU" + consignments.ToString("D7", CultureInfo.InvariantCulture),
                Consignor = new ManifestParty { Identifier = "SHIPCO", Name = "Shanghai Export Co. Ltd" },
                Consignee = new ManifestParty { Identifier = "NL123456789", Name = "Rotterdam Import B.V." },
                NotifyParty = new ManifestParty { Name = "Notify Logistics" },
                GoodsItems =
                [
                    new ManifestGoodsItem { ItemNumber = 1, HsCode = "691110", Packages = 120, PackageType = "CT", GrossMassKg = 4500.5m, Description = "Ceramic tableware", Containers = [container] },
                    new ManifestGoodsItem { ItemNumber = 2, HsCode = "848790", Packages = 10, PackageType = "PK", GrossMassKg = 800m, Description = "Spare parts", Containers = [container] },
                ],
            });
        }
        foreach (var container in containers)
        {
            writer.WriteTransportEquipment(new ManifestContainer { ContainerNumber = container, SizeType = SizeTypeCode.Iso45G1, FullEmpty = FullEmpty.Full, GrossMassKg = 5300.5m, SealNumbers = ["ML-12345"] });
        }
        writer.WriteDeclarationEnd();
        writer.Complete();
        return (counting.Written, consignments, writer.Findings.Total > 0 ? $"{writer.Findings.Listed[0].Code} {writer.Findings.Listed[0].XPath}" : null);
    }

    private static int Throughput(string path, int repeat)
    {
        var length = new FileInfo(path).Length;
        var runs = new (string Name, Func<string> Run)[]
        {
            ("bare-xmlreader", () => $"nodes={BareRead(path)}"),
            ("validating-xmlreader", () => $"nodes={ValidatingRead(path)}"),
            // The floor of any in-and-out: the same nodes read and written again, nothing validated or mapped.
            ("bare-copy", () => $"bytes={BareCopy(path)}"),
            ("xml-in", () =>
            {
                var counter = new Counter();
                var result = Read(path, counter);
                return $"consignments={counter.Consignments} equipment={counter.Equipment} findings={result.Findings.Total}";
            }),
            ("xml-out", () =>
            {
                // The same document written again from the model (the generator's content), validated, to a stream that keeps nothing.
                var (written, consignments, findings) = WriteReport(Stream.Null, length);
                return $"bytes={written} consignments={consignments} findings={findings ?? "0"}";
            }),
            ("xml-in-out", () =>
            {
                var (result, written) = InOut(path);
                return $"messages={result.MessageCount} findings={result.Findings.Total + written.Findings.Total}";
            }),
        };

        // Interleaved rounds, best of each, after a warm-up: on a shared machine the load changes from second to second.
        var best = runs.ToDictionary(r => r.Name, r => (Seconds: double.MaxValue, CpuSeconds: double.MaxValue, Detail: r.Run()));
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < repeat; i++)
        {
            foreach (var (name, run) in runs)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var stopwatch = Stopwatch.StartNew();
                var detail = run();
                var seconds = stopwatch.Elapsed.TotalSeconds;
                process.Refresh();
                var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
                var (s, c, _) = best[name];
                best[name] = (Math.Min(s, seconds), Math.Min(c, cpuSeconds), detail);
            }
        }
        foreach (var (name, (seconds, cpuSeconds, detail)) in best)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {length / 1e6 / seconds:F1} {seconds:F3} {length / 1e6 / cpuSeconds:F1} {cpuSeconds:F3} {detail}"));
        }
        return 0;
    }

    private static int Peak(string path)
    {
        var (result, written) = InOut(path);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak-working-set {process.PeakWorkingSet64 / 1024.0 / 1024.0:F1} MB, managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:F1} MB, messages={result.MessageCount} findings={result.Findings.Total + written.Findings.Total}"));
        return 0;
    }

    /// <summary>The limit: every node of the file through an XmlReader with the same security settings, nothing else.</summary>
    private static long BareRead(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize);
        using var reader = XmlReader.Create(file, WcoXml.ReaderSettings(validate: false));
        long nodes = 0;
        while (reader.Read())
        {
            nodes++;
        }
        return nodes;
    }

    /// <summary>
    /// The file read by a bare XmlReader and written by a bare XmlWriter (<see cref="XmlWriter.WriteNode(XmlReader, bool)"/>)
    /// to a stream that keeps nothing: what in-and-out costs before any validation or mapping.
    /// </summary>
    private static long BareCopy(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize);
        using var reader = XmlReader.Create(file, WcoXml.ReaderSettings(validate: false));
        using var counting = new CountingStream(Stream.Null);
        using (var writer = XmlWriter.Create(counting, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) }))
        {
            writer.WriteNode(reader, defattr: true);
        }
        return counting.Written;
    }

    /// <summary>Schema validation alone (System.Xml.Schema's validating reader, nothing mapped): what validation costs.</summary>
    private static long ValidatingRead(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize);
        using var reader = XmlReader.Create(file, WcoXml.ReaderSettings(validate: true));
        long nodes = 0;
        while (reader.Read())
        {
            nodes++;
        }
        return nodes;
    }

    private static WcoXmlReadResult Read(string path, WcoXmlHandler handler)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize);
        return WcoXmlReader.Read(file, handler);
    }

    /// <summary>XML in and out: each item read is written again at once (to a stream that keeps nothing), both validated.</summary>
    private static (WcoXmlReadResult Read, WcoXmlWriter Written) InOut(string path)
    {
        using var writer = new WcoXmlWriter(Stream.Null, WcoXmlMessageKind.CargoReport);
        var result = Read(path, new Relay(writer));
        writer.Complete();
        return (result, writer);
    }

    private sealed class Counter : WcoXmlHandler
    {
        public long Consignments { get; private set; }

        public long Equipment { get; private set; }

        public override void OnConsignment(ManifestConsignment consignment) => Consignments++;

        public override void OnTransportEquipment(ManifestContainer container) => Equipment++;
    }

    private sealed class Relay(WcoXmlWriter writer) : WcoXmlHandler
    {
        public override void OnDeclarationStart(CargoReportHeader header) => writer.WriteDeclarationStart(header);

        public override void OnConsignment(ManifestConsignment consignment) => writer.WriteConsignment(consignment);

        public override void OnTransportEquipment(ManifestContainer container) => writer.WriteTransportEquipment(container);

        public override void OnUnverifiedEquipment(ManifestRejectedContainer container) => writer.WriteUnverifiedEquipment(container);

        public override void OnDeclarationEnd() => writer.WriteDeclarationEnd();
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        protected override void Dispose(bool disposing)
        {
            // The caller owns the inner stream.
        }

        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Written += buffer.Length;
        }
    }
}
