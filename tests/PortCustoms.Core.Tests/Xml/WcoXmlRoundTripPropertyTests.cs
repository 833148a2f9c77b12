using CsCheck;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Tests.Translation;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Xml;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Xml.WcoXmlFixtures;

namespace PortCustoms.Core.Tests.Xml;

/// <summary>
/// Canonical -> WCO XML -> canonical gives the same thing for every message kind, what the writer produces is valid
/// against its schema (no finding on the way out or in), and EDIFACT -> canonical -> XML -> canonical loses nothing.
/// </summary>
public sealed class WcoXmlRoundTripPropertyTests
{
    [Fact]
    public void Cargo_manifests_survive_a_cargo_report_and_back()
    {
        RoundTripPropertyTests.Manifests.Array[1, 3].Sample(manifests =>
        {
            var (xml, written) = Write(WcoXmlMessageKind.CargoReport, w =>
            {
                for (var i = 0; i < manifests.Length; i++)
                {
                    w.WriteManifest($"M{i}", manifests[i]);
                }
            });
            Assert.True(written.Total == 0, Describe(written));
            var (document, result) = Read(xml);
            Assert.True(result.Findings.Total == 0, Describe(result.Findings) + "\n" + System.Text.Encoding.UTF8.GetString(xml));
            Assert.Equal(WcoXmlMessageKind.CargoReport, result.Kind);
            Assert.Equal(manifests.Length, result.MessageCount);
            Assert.Equal(manifests.Select(Json), document.Manifests.Select(m => Json(m.Value)));
            Assert.Equal(manifests.Select((_, i) => $"M{i}"), document.Manifests.Select(m => m.Reference));
        }, iter: 150);
    }

    [Fact]
    public void Manifest_headers_and_equipment_survive_an_arrival_report_and_back()
    {
        RoundTripPropertyTests.Manifests.Sample(manifest =>
        {
            var (xml, written) = Write(WcoXmlMessageKind.ArrivalReport, w => w.WriteManifest("A1", manifest));
            Assert.True(written.Total == 0, Describe(written));
            var (document, result) = Read(xml);
            Assert.True(result.Findings.Total == 0, Describe(result.Findings));
            Assert.Equal(Json(manifest with { Consignments = [] }), Json(Assert.Single(document.Manifests).Value));
        }, iter: 100);
    }

    [Fact]
    public void Status_events_survive_a_status_report_and_back()
    {
        RoundTripPropertyTests.Events.Array[1, 5].Sample(events =>
        {
            var (xml, written) = Write(WcoXmlMessageKind.StatusEvent, w =>
            {
                foreach (var e in events)
                {
                    w.WriteStatusEvent(e);
                }
            });
            Assert.True(written.Total == 0, Describe(written));
            var (document, result) = Read(xml);
            Assert.True(result.Findings.Total == 0, Describe(result.Findings));
            Assert.Equal(events.Select(Json), document.Events.Select(e => Json(e.Value)));
        }, iter: 200);
    }

    private static readonly Gen<CustomsNotification> Notifications =
        Gen.Select(RoundTripPropertyTests.Containers, Gen.Enum<CustomsStatus>().Where(s => s != CustomsStatus.None), RoundTripPropertyTests.Text, RoundTripPropertyTests.Instants,
            Gen.Char["ABCDEFGHIJ abcdefghij.+'<>&\"\r\n\t"].Array[1, 300].Select(c => new string(c)).Null(), RoundTripPropertyTests.Text.Null())
        .Select((container, status, id, issuedAt, reason, reference) => new CustomsNotification
        {
            NotificationId = id, ContainerNumber = container, Status = status, CustomsReference = reference, IssuedAt = issuedAt, ReceivedAt = issuedAt, Reason = reason,
        });

    private static readonly Gen<CustomsResponseError> Errors =
        Gen.Select(RoundTripPropertyTests.Text, RoundTripPropertyTests.Text.Null(), RoundTripPropertyTests.Text.Null()).Select((code, section, item) => new CustomsResponseError(code, section, item));

    [Fact]
    public void Customs_notifications_and_their_errors_survive_a_customs_response_and_back()
    {
        Gen.Select(Notifications.Array[1, 4], Errors.Array[0, 3]).Sample(sample =>
        {
            var (notifications, errors) = sample;
            var (xml, written) = Write(WcoXmlMessageKind.CustomsResponse, w =>
            {
                foreach (var n in notifications)
                {
                    w.WriteNotification(n);
                }
                foreach (var e in errors)
                {
                    w.WriteCustomsError(e);
                }
            });
            Assert.True(written.Total == 0, Describe(written));
            var (document, result) = Read(xml);
            Assert.True(result.Findings.Total == 0, Describe(result.Findings));
            Assert.Equal(notifications.Select(Json), document.Notifications.Select(n => Json(n.Value)));
            Assert.Equal(errors, document.CustomsErrors.Select(e => e.Value));
        }, iter: 200);
    }

    [Fact]
    public void Customs_errors_survive_a_functional_error_response_and_back()
    {
        Gen.Select(RoundTripPropertyTests.Text.Null(), RoundTripPropertyTests.Instants.Nullable(), Errors.Array[1, 4]).Sample(sample =>
        {
            var (reference, issuedAt, errors) = sample;
            var (xml, written) = Write(WcoXmlMessageKind.ErrorResponse, w =>
            {
                w.WriteErrorResponseStart(reference, issuedAt);
                foreach (var e in errors)
                {
                    w.WriteCustomsError(e);
                }
            });
            Assert.True(written.Total == 0, Describe(written));
            var (document, result) = Read(xml);
            Assert.True(result.Findings.Total == 0, Describe(result.Findings));
            Assert.Equal(errors, document.CustomsErrors.Select(e => e.Value));
            Assert.All(document.CustomsErrors, e => Assert.Equal(reference, e.Reference));
        }, iter: 150);
    }

    [Fact]
    public async Task EDIFACT_messages_survive_the_canonical_model_XML_and_back()
    {
        await Gen.Select(RoundTripPropertyTests.Manifests, RoundTripPropertyTests.Events.Array[1, 3], RoundTripPropertyTests.Directories).SampleAsync(async sample =>
        {
            var (manifest, events, directory) = sample;
            var composition = new EdifactComposer().Compose(events, [], [manifest], new EdifactInterchangeOptions { Directory = directory, PreparedAt = DateTimeOffset.UnixEpoch });
            Assert.Empty(composition.Diagnostics);
            var (_, messages) = await TranslationFixtures.TranslateAsync(composition.Interchange);

            // Events into one status report, the manifest into one cargo report, each straight from the EDIFACT translation.
            using var eventsXml = new MemoryStream();
            using (var composer = new WcoXmlComposer(eventsXml, Metadata))
            {
                foreach (var message in messages.Where(m => m.Events is not null))
                {
                    composer.Add(message);
                }
                Assert.True(composer.Complete());
                Assert.True(composer.Findings.Total == 0, Describe(composer.Findings));
            }
            using var manifestXml = new MemoryStream();
            using (var composer = new WcoXmlComposer(manifestXml, Metadata))
            {
                composer.Add(Assert.Single(messages, m => m.Manifest is not null));
                Assert.True(composer.Complete());
                Assert.True(composer.Findings.Total == 0, Describe(composer.Findings));
            }

            var (eventDocument, eventResult) = Read(eventsXml.ToArray());
            Assert.True(eventResult.IsValid, Describe(eventResult.Findings));
            Assert.Equal(events.Select(Json), eventDocument.Events.Select(e => Json(e.Value)));
            var (manifestDocument, manifestResult) = Read(manifestXml.ToArray());
            Assert.True(manifestResult.IsValid, Describe(manifestResult.Findings));
            Assert.Equal(Json(manifest), Json(Assert.Single(manifestDocument.Manifests).Value));
        }, iter: 60);
    }

    [Theory]
    [InlineData("cuscar-d95b-manifest.edi")]
    [InlineData("cuscar-d96b-manifest.edi")]
    [InlineData("iftman-d95b-arrival.edi")]
    [InlineData("iftmcs-d95b-contract-status.edi")]
    [InlineData("codeco-d95b-gate.edi")]
    [InlineData("codeco-d96b-gate-out.edi")]
    [InlineData("coarri-d96b-discharge.edi")]
    [InlineData("coarri-d01b-loading.edi")]
    [InlineData("cusres-d95b-release.edi")]
    [InlineData("cusres-d96b-inspection.edi")]
    public async Task Every_fixture_translates_to_its_golden_XML_and_back_to_the_same_canonical_model(string fixture)
    {
        var (_, messages) = await TranslationFixtures.TranslateAsync(TranslationFixtures.Fixture(fixture));
        using var xml = new MemoryStream();
        using (var composer = new WcoXmlComposer(xml, Metadata))
        {
            foreach (var message in messages)
            {
                composer.Add(message);
            }
            Assert.True(composer.Complete());
            Assert.True(composer.Findings.Total == 0, Describe(composer.Findings));
        }
        var actual = System.Text.Encoding.UTF8.GetString(xml.ToArray()).ReplaceLineEndings("\n") + "\n";
        var golden = TranslationFixtures.FixturePath(Path.ChangeExtension(fixture, ".xml"));
        if (Environment.GetEnvironmentVariable("PORTCUSTOMS_UPDATE_GOLDEN") == "1")
        {
            var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../Translation/Fixtures", Path.GetFileName(golden)));
            await File.WriteAllTextAsync(source, actual);
        }
        else
        {
            // The golden documents are what the README's format table points to; review a diff like code.
            Assert.Equal(await File.ReadAllTextAsync(golden), actual);
        }
        var (document, result) = Read(xml.ToArray());
        Assert.True(result.Findings.Total == 0, Describe(result.Findings));
        Assert.Equal(messages.Where(m => m.Manifest is not null).Select(m => Json(m.Manifest!)), document.Manifests.Select(m => Json(m.Value)));
        Assert.Equal(messages.SelectMany(m => m.Events ?? []).Select(Json), document.Events.Select(e => Json(e.Value)));
        Assert.Equal(messages.SelectMany(m => m.Notifications ?? []).Select(n => Json(n)), document.Notifications.Select(n => Json(n.Value)));
        Assert.Equal(messages.SelectMany(m => m.CustomsErrors ?? []), document.CustomsErrors.Select(e => e.Value));
    }
}
