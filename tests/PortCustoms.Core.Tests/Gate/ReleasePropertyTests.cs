using System.Text;
using CsCheck;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Tests.Gate;

/// <summary>
/// Issue 10: random notifications for one container (JSON-shaped, or CUSRES with zoned or zone-less times and unmapped
/// codes beside known ones), with reused ids and random arrival orders, through the translator, the store's fold and the
/// release rules. The gate answers CLEAR exactly when the newest accepted zoned, fully mapped release is newer than every
/// accepted hold and inspection order (a zone-less order counted at the latest instant it may name).
/// </summary>
public sealed class ReleasePropertyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
    private static readonly ContainerNumber Container = ContainerNumber.Parse("MSCU1234566");

    /// <summary>One notification as sent: id (small pool, so ids are reused), kind, minute, zoned, CUSRES or JSON.</summary>
    private sealed record Sent(int Id, int Kind, int Minute, bool Zoned, bool Edifact)
    {
        // Kinds 0-3: RELEASED, HOLD, INSPECTION_REQUIRED, INSPECTION_COMPLETED; 4: a release (GIS+4) beside an unmapped GIS+99.
        public override string ToString() => $"{(Edifact ? "CUSRES" : "JSON")} id{Id} kind{Kind} T+{Minute}{(Zoned ? "Z" : " no zone")}";
    }

    private static readonly Gen<Sent> GenSent =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 4], Gen.Int[0, 24 * 60], Gen.Bool, Gen.Bool)
            .Select((id, kind, minute, zoned, edifact) => new Sent(id, kind, minute, zoned || !edifact, edifact));

    private static readonly string[] GisCodes = ["4", "7", "5", ""];

    private static readonly EdifactTranslator Translator = new(time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0.AddDays(2)));

    private static CustomsNotification ToNotification(Sent sent)
    {
        var issuedAt = T0.AddMinutes(sent.Minute);
        if (!sent.Edifact)
        {
            var status = sent.Kind switch { 0 => CustomsStatus.Released, 1 => CustomsStatus.Hold, 2 => CustomsStatus.InspectionRequired, _ => CustomsStatus.InspectionCompleted };
            return new CustomsNotification
            {
                NotificationId = "J" + sent.Id, ContainerNumber = Container, Status = status, IssuedAt = issuedAt, ReceivedAt = T0.AddDays(1),
            };
        }
        // The completion has no UN 7365 code here: send it as JSON-shaped content with an EDIFACT-style id.
        if (sent.Kind == 3)
        {
            return new CustomsNotification
            {
                NotificationId = "EDI:X:" + sent.Id, ContainerNumber = Container, Status = CustomsStatus.InspectionCompleted, IssuedAt = issuedAt,
                IssuedAtZoned = sent.Zoned, ReceivedAt = T0.AddDays(1),
            };
        }
        var gis = sent.Kind == 4 ? "GIS+4'GIS+99" : "GIS+" + GisCodes[sent.Kind];
        var dtm = sent.Zoned ? $"DTM+182:{issuedAt:yyyyMMddHHmm}?+00:303" : $"DTM+182:{issuedAt:yyyyMMddHHmm}:203";
        var text = $"UNA:+.? 'UNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:0800+IC{sent.Id}'UNH+1+CUSRES:D:96B:UN'BGM+962+REF{sent.Id}+9'{dtm}'{gis}'EQD+CN+{Container}'RFF+ABT:REF{sent.Id}'UNT+{(sent.Kind == 4 ? 8 : 7)}+1'UNZ+1+IC{sent.Id}'";
        var document = EdifactDocument.ReadAsync(Encoding.Latin1.GetBytes(text)).GetAwaiter().GetResult();
        var message = Translator.Translate(Assert.Single(document.Messages));
        Assert.DoesNotContain(message.Diagnostics, d => d.Severity == EdifactSeverity.Error);
        return Assert.Single(message.Notifications!);
    }

    /// <summary>The rule, stated independently of the fold: over what the store accepted (first content per id).</summary>
    private static bool Oracle(IReadOnlyList<CustomsNotification> accepted)
    {
        static DateTimeOffset Latest(CustomsNotification n) => n.IssuedAtZoned ? n.IssuedAt : n.IssuedAt + ContainerCustomsState.UnzonedUncertainty;
        var orders = accepted.Where(n => n.Status is CustomsStatus.Hold or CustomsStatus.InspectionRequired).Select(Latest).ToList();
        var newestOrder = orders.Count == 0 ? DateTimeOffset.MinValue : orders.Max();
        return accepted.Any(n => n.Status == CustomsStatus.Released && n.IssuedAtZoned && n.IssuedAt > newestOrder);
    }

    [Fact]
    public async Task Gate_AnyInterleavingIdsAndClocks_ClearIffNewestZonedMappedReleaseOutranksEveryOrder()
    {
        await Gen.Select(GenSent.Array[1, 8], Gen.Int).SampleAsync(async scenario =>
        {
            var (sent, seed) = scenario;
            var notifications = sent.Select(ToNotification).ToArray();
            new Random(seed).Shuffle(notifications);

            var store = new InMemoryCustomsStateStore();
            var accepted = new Dictionary<string, CustomsNotification>(StringComparer.Ordinal);
            foreach (var notification in notifications)
            {
                var outcome = await store.AddNotificationAsync(notification);
                if (accepted.TryGetValue(notification.NotificationId, out var first))
                {
                    // Same id: the same content is a duplicate, other content a conflict; never a silent drop.
                    Assert.Equal(NotificationContent.Hash(first) == NotificationContent.Hash(notification) ? NotificationOutcome.Duplicate : NotificationOutcome.Conflict, outcome);
                }
                else
                {
                    Assert.True(outcome is NotificationOutcome.Applied or NotificationOutcome.Stale);
                    accepted[notification.NotificationId] = notification;
                }
            }

            var verdict = ReleaseDecision.Decide((await store.GetStateAsync(Container))!);
            Assert.Equal(Oracle([.. accepted.Values]), verdict.Decision == GateDecision.Clear);
            // Unmapped and zone-less input never releases: CLEAR always rests on a zoned release whose message was fully mapped.
            if (verdict.Decision == GateDecision.Clear)
            {
                Assert.Contains(accepted.Values, n => n.Status == CustomsStatus.Released && n.IssuedAtZoned);
            }
        }, iter: 400, print: s => string.Join(", ", s.Item1.Select(x => x.ToString())) + $" seed {s.Item2}");
    }

    [Fact]
    public void Fold_AnyArrivalOrder_SameDecision()
    {
        Gen.Select(GenSent.Array[1, 7], Gen.Int).Sample(scenario =>
        {
            var distinct = scenario.Item1.Select(ToNotification).GroupBy(n => n.NotificationId).Select(g => g.First()).ToArray();
            var decisions = new HashSet<GateDecision>();
            var random = new Random(scenario.Item2);
            for (var round = 0; round < 6; round++)
            {
                random.Shuffle(distinct);
                var state = ContainerCustomsState.Start(distinct[0]);
                foreach (var n in distinct.Skip(1))
                {
                    state = state.Receive(n).State;
                }
                decisions.Add(ReleaseDecision.Decide(state).Decision);
            }
            Assert.Single(decisions);
        }, iter: 200);
    }
}
