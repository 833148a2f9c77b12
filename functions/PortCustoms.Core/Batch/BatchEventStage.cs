using System.Text;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Batch;

/// <summary>
/// The status events pass 1 translated from the messages it accepted, kept for pass 2 in a temporary file (never in
/// memory: a gigabyte file has millions of events), so applying a file does not read, validate and translate it a
/// second time. A compact binary record per event (about a third of its JSON, and read back without a JSON parse:
/// the values were checked when they were translated); the file is deleted when the stage is disposed.
/// </summary>
internal sealed class BatchEventStage : IDisposable
{
    private readonly FileStream _file;
    private readonly BinaryWriter _writer;

    public BatchEventStage()
    {
        var path = Path.Combine(Path.GetTempPath(), $"portcustoms-batch-{Guid.NewGuid():N}.stage");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        if (!OperatingSystem.IsWindows())
        {
            // Unlinked at once: the open handle keeps the data, and a process that dies before disposing leaves nothing
            // behind (Windows deletes a delete-on-close file when the handle goes, crash or not).
            File.Delete(path);
        }
        _writer = new BinaryWriter(_file, Encoding.UTF8, leaveOpen: true);
    }

    public long Count { get; private set; }

    public void Add(ContainerStatusEvent statusEvent)
    {
        var w = _writer;
        w.Write(statusEvent.EventId);
        w.Write(statusEvent.ContainerNumber.ToString());
        w.Write((int)statusEvent.Type);
        w.Write(statusEvent.OccurredAt.Ticks);
        w.Write((short)statusEvent.OccurredAt.TotalOffsetMinutes);
        w.Write(statusEvent.VesselImo.ToString());
        WriteOptional(w, statusEvent.Voyage);
        WriteOptional(w, statusEvent.Location);
        var seals = statusEvent.SealNumbers;
        w.Write(seals.Count);
        for (var i = 0; i < seals.Count; i++)
        {
            w.Write(seals[i]);
        }
        w.Write(statusEvent.GrossMassKg.HasValue);
        if (statusEvent.GrossMassKg is { } mass)
        {
            w.Write(mass);
        }
        w.Write(statusEvent.SizeType.ToString());
        Count++;
    }

    /// <summary>Every staged event, in the order they were added; may be read more than once (a repeated apply).</summary>
    public IEnumerable<ContainerStatusEvent> Read()
    {
        _writer.Flush();
        _file.Position = 0;
        using var r = new BinaryReader(_file, Encoding.UTF8, leaveOpen: true);
        try
        {
            for (long i = 0; i < Count; i++)
            {
                var eventId = r.ReadString();
                var container = ContainerNumber.Parse(r.ReadString());
                var type = (ContainerEventType)r.ReadInt32();
                var ticks = r.ReadInt64();
                var offset = TimeSpan.FromMinutes(r.ReadInt16());
                var imo = r.ReadString();
                var voyage = ReadOptional(r);
                var location = ReadOptional(r);
                var seals = new string[r.ReadInt32()];
                for (var s = 0; s < seals.Length; s++)
                {
                    seals[s] = r.ReadString();
                }
                decimal? mass = r.ReadBoolean() ? r.ReadDecimal() : null;
                var sizeType = r.ReadString();
                yield return new ContainerStatusEvent(eventId, container, type, new DateTimeOffset(ticks, offset))
                {
                    VesselImo = imo.Length == 0 ? default : ImoNumber.Parse(imo),
                    Voyage = voyage,
                    Location = location,
                    SealNumbers = seals,
                    GrossMassKg = mass,
                    SizeType = sizeType.Length == 0 ? default : SizeTypeCode.Parse(sizeType),
                };
            }
        }
        finally
        {
            _file.Position = _file.Length;
        }
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }
}
