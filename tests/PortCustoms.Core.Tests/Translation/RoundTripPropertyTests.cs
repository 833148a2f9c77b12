using System.Text;
using CsCheck;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Translation.TranslationFixtures;

namespace PortCustoms.Core.Tests.Translation;

/// <summary>
/// Canonical -> EDIFACT -> canonical gives the same thing, in every supported directory, and what the writer produces
/// is valid against the published structure (no syntax, envelope, structure or mapping finding at all).
/// </summary>
public sealed class RoundTripPropertyTests
{
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    // Values include the delimiters and the release character, so escaping is exercised too.
    internal static readonly Gen<string> Text = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/+:'?"].Array[1, 10].Select(c => new string(c));

    internal static readonly Gen<ContainerNumber> Containers =
        Gen.Select(Gen.Char[Letters].Array[3], Gen.Char["UJZ"], Gen.Int[0, 999_999]).Select((owner, category, serial) =>
        {
            var first = new string(owner) + category + serial.ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
            return ContainerNumber.Parse(first + ContainerNumber.ComputeCheckDigit(first));
        });

    internal static readonly Gen<ImoNumber> Imos = Gen.Int[100_000, 999_999].Select(six =>
    {
        var digits = six.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 6; i++)
        {
            sum += (digits[i] - '0') * (7 - i);
        }
        return ImoNumber.Parse(digits + (sum % 10));
    });

    internal static readonly SizeTypeCode[] SizeTypes = [SizeTypeCode.Iso22G1, SizeTypeCode.Iso42G1, SizeTypeCode.Iso45G1, SizeTypeCode.Iso22R1, SizeTypeCode.Iso45R1, SizeTypeCode.Iso22T6];

    internal static readonly Gen<DateTimeOffset> Instants = Gen.Select(Gen.Long[0, 10L * 365 * 24 * 3600], Gen.Int[-12, 14])
        .Select((seconds, hours) => new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds).ToOffset(TimeSpan.FromHours(hours)));

    internal static readonly Gen<decimal> Masses = Gen.Int[0, 400_000].Select(tenths => tenths / 10m / 1.0000000000000000000000000000m);

    internal static readonly Gen<ContainerStatusEvent> Events =
        Gen.Select(Text, Containers, Gen.OneOfConst(ContainerEventType.GatedIn, ContainerEventType.GatedOut, ContainerEventType.Discharged, ContainerEventType.Loaded), Instants)
        .SelectMany(head => Gen.Select(Imos.Nullable(), Text.Null(), Gen.OneOfConst<string?>(null, "NLRTM", "BEANR", "DEHAM"), Text.Array[0, 3], Masses.Nullable(), Gen.OneOfConst(SizeTypes).Nullable())
            .Select(tail => new ContainerStatusEvent(head.Item1, head.Item2, head.Item3, head.Item4)
            {
                VesselImo = tail.Item1 ?? default,
                Voyage = tail.Item2,
                Location = tail.Item3,
                SealNumbers = tail.Item4,
                GrossMassKg = tail.Item5,
                SizeType = tail.Item6 ?? default,
            }));

    internal static readonly Gen<EdifactDirectory> Directories = Gen.OneOfConst(EdifactDirectory.D95B, EdifactDirectory.D96B, EdifactDirectory.D00B, EdifactDirectory.D01B);

    private static async Task<List<TranslatedMessage>> RoundTripAsync(EdifactComposition composition)
    {
        var (document, messages) = await TranslateAsync(composition.Interchange);
        var findings = document.Validation.Diagnostics.Concat(messages.All()).ToList();
        Assert.True(findings.Count == 0,
            string.Join("\n", findings.Select(d => $"{d.Code}@{d.Segment}/{d.Element}/{d.Component} {d.Message}")) + "\n" + Encoding.Latin1.GetString(composition.Interchange));
        return messages;
    }

    private static string Json(ContainerStatusEvent e) => Encoding.UTF8.GetString(ContainerStatusEventWriter.ToUtf8Bytes(e));

    [Fact]
    public async Task Status_events_survive_EDIFACT_and_back_in_every_directory()
    {
        await Gen.Select(Events.Array[1, 4], Directories).SampleAsync(async sample =>
        {
            var (events, directory) = sample;
            var composition = new EdifactComposer().Compose(events, [], [], new EdifactInterchangeOptions { Directory = directory, PreparedAt = DateTimeOffset.UnixEpoch });
            Assert.Empty(composition.Diagnostics);
            var messages = await RoundTripAsync(composition);
            Assert.Equal(events.Select(e => StatusEventMapping.MessageFor(e.Type)!.Value.MessageType), messages.Select(m => m.Type));
            var back = messages.SelectMany(m => m.Events!).ToList();
            Assert.Equal(events.Select(Json), back.Select(Json));
        }, iter: 200);
    }

    internal static readonly Gen<ManifestParty?> Parties = Gen.Select(Text.Null(), Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghij.&+:'?"].Array[1, 80].Select(c => new string(c)).Null())
        .Select((id, name) => id is null && name is null ? null : new ManifestParty { Identifier = id, Name = name });

    internal static readonly Gen<ManifestGoodsItem> GoodsItems =
        Gen.Select(Gen.Int[1, 99_999].Nullable(), Gen.OneOfConst(6, 8, 10).SelectMany(n => Gen.Char["0123456789"].Array[n]).Select(c => new string(c)).Null(), Gen.Int[1, 99_999].Nullable(), Gen.OneOfConst<string?>(null, "CT", "PK", "BX"))
        .SelectMany(head => Gen.Select(Masses.Nullable(), Gen.Char["ABCDEFGHIJ abcdefghij,.+'"].Array[1, 200].Select(c => new string(c)).Null(), Containers.Array[0, 2])
            .Select(tail => new ManifestGoodsItem
            {
                ItemNumber = head.Item1,
                HsCode = head.Item2,
                Packages = head.Item3,
                PackageType = head.Item3 is null ? null : head.Item4,
                GrossMassKg = tail.Item1,
                Description = tail.Item2,
                Containers = [.. tail.Item3.Distinct()],
            }));

    internal static readonly Gen<ManifestConsignment> Consignments = Gen.Select(Text, Parties, Parties, Parties, GoodsItems.Array[1, 3])
        .Select((bl, consignor, consignee, notify, goods) => new ManifestConsignment { BillOfLading = bl, Consignor = consignor, Consignee = consignee, NotifyParty = notify, GoodsItems = goods });

    internal static readonly Gen<ManifestContainer> ManifestContainers = Gen.Select(Containers, Gen.OneOfConst(SizeTypes).Nullable(), Text.Array[0, 2], Gen.Enum<FullEmpty>())
        .Select((number, sizeType, seals, fullEmpty) => new ManifestContainer { ContainerNumber = number, SizeType = sizeType ?? default, SealNumbers = seals, FullEmpty = fullEmpty });

    internal static readonly Gen<CargoManifest> Manifests =
        Gen.Select(Gen.Bool, Imos, Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"].Array[4, 7].Select(c => new string(c)), Text.Null(), Text.Null(), Gen.OneOfConst<string?>(null, "CNSHA", "SGSIN"), Gen.OneOfConst<string?>(null, "NLRTM", "BEANR"))
        .SelectMany(head => Gen.Select(Consignments.Array[0, 3], ManifestContainers.Array[0, 4]).Select(tail => new CargoManifest
        {
            Vessel = head.Item1 ? new ManifestVessel { Imo = head.Item2, Name = head.Item4 } : new ManifestVessel { CallSign = head.Item3, Name = head.Item4 },
            Voyage = head.Item5,
            PortOfLoading = head.Item6,
            PortOfDischarge = head.Item7,
            Consignments = tail.Item1,
            Containers = [.. tail.Item2.DistinctBy(c => c.ContainerNumber)],
        }));

    [Fact]
    public async Task Cargo_manifests_survive_CUSCAR_and_back_in_every_directory()
    {
        await Gen.Select(Manifests, Directories).SampleAsync(async sample =>
        {
            var (manifest, directory) = sample;
            var composition = new EdifactComposer().Compose([], [], [manifest], new EdifactInterchangeOptions { Directory = directory, PreparedAt = DateTimeOffset.UnixEpoch });
            Assert.Empty(composition.Diagnostics);
            var messages = await RoundTripAsync(composition);
            Assert.Equal(PortCustoms.Core.Translation.CanonicalJson.ToJson(manifest), PortCustoms.Core.Translation.CanonicalJson.ToJson(Assert.Single(messages).Manifest!));
        }, iter: 150);
    }

    [Fact]
    public async Task Customs_notifications_survive_CUSRES_and_back_in_every_directory()
    {
        var notifications = Gen.Select(Containers, Gen.OneOfConst(CustomsStatus.Released, CustomsStatus.Hold, CustomsStatus.InspectionRequired), Text, Instants,
            Gen.Char["ABCDEFGHIJ abcdefghij.+'"].Array[1, 300].Select(c => new string(c)).Null())
            .Select((container, status, reference, issuedAt, reason) => new CustomsNotification
            {
                NotificationId = "N", ContainerNumber = container, Status = status, CustomsReference = reference, IssuedAt = issuedAt, ReceivedAt = issuedAt, Reason = reason,
            });
        await Gen.Select(notifications, Directories).SampleAsync(async sample =>
        {
            var (notification, directory) = sample;
            var composition = new EdifactComposer().Compose([], [notification], [], new EdifactInterchangeOptions { Directory = directory, PreparedAt = DateTimeOffset.UnixEpoch, ControlReference = "IC9", Sender = "CUSTOMS" });
            Assert.Empty(composition.Diagnostics);
            var back = Assert.Single((await RoundTripAsync(composition)).Single().Notifications!);
            Assert.Equal(
                (notification.ContainerNumber, notification.Status, notification.CustomsReference, notification.IssuedAt.UtcDateTime, notification.Reason),
                (back.ContainerNumber, back.Status, back.CustomsReference, back.IssuedAt.UtcDateTime, back.Reason));
            Assert.Equal("EDI:CUSTOMS:IC9:1", back.NotificationId);
        }, iter: 150);
    }
}
