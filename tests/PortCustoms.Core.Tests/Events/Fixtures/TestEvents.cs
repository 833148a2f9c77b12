using System.Globalization;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Tests.Events.Fixtures;

/// <summary>Builds valid events and container numbers for tests.</summary>
public static class TestEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);

    public static ContainerNumber Container(int serial, string owner = "MSC")
    {
        var firstTen = owner + "U" + serial.ToString("D6", CultureInfo.InvariantCulture);
        return ContainerNumber.Parse(firstTen + ContainerNumber.ComputeCheckDigit(firstTen).ToString(CultureInfo.InvariantCulture));
    }

    public static ContainerStatusEvent Event(string eventId, ContainerEventType type, int minutes, int serial = 1) =>
        new(eventId, Container(serial), type, T0.AddMinutes(minutes))
        {
            VesselImo = ImoNumber.Parse("9811000"),
            Voyage = "124E",
            Location = "NLRTM",
            SealNumbers = ["ML-12345"],
            GrossMassKg = 23150,
            SizeType = SizeTypeCode.Parse("45G1"),
        };

    public static byte[] Body(ContainerStatusEvent statusEvent) => ContainerStatusEventWriter.ToUtf8Bytes(statusEvent);

    public const string ValidJson = """
        { "eventId": "E-778899", "containerNumber": "MSCU1234566",
          "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z",
          "vesselImo": "9811000", "voyage": "124E", "location": "NLRTM",
          "sealNumbers": ["ML-12345"], "grossMassKg": 23150, "sizeType": "45G1" }
        """;
}
