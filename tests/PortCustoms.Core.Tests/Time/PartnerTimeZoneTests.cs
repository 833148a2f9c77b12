using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Time;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Translation.TranslationFixtures;

namespace PortCustoms.Core.Tests.Time;

/// <summary>Issue 15 point 5: zoneless EDIFACT and CSV times in the sender's IANA zone, daylight saving resolved by rule, findings once.</summary>
public sealed class PartnerTimeZoneTests
{
    private const string Amsterdam = "Europe/Amsterdam";

    private static PartnerClocks Clocks(string? port = Amsterdam, Action<PartnerTimeZoneOptions>? configure = null)
    {
        var options = new PartnerTimeZoneOptions { Port = port };
        configure?.Invoke(options);
        return new PartnerClocks(Options.Create(options));
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute, int offsetHours) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(offsetHours));

    // A zone with one offset for all time is read without NodaTime's mapping: the same instant and offset as the mapping.
    [Theory]
    [InlineData("UTC")]
    [InlineData("Etc/GMT-1")]
    [InlineData("Etc/GMT+12")]
    [InlineData("Etc/GMT-14")]
    public void A_fixed_offset_zone_reads_what_NodaTime_maps_down_to_the_ends_of_DateTime(string zoneId)
    {
        var zone = NodaTime.DateTimeZoneProviders.Tzdb[zoneId];
        var clock = SenderClock.InZone("broker 'b'", zoneId);
        DateTime[] locals =
        [
            new(2026, 3, 29, 2, 30, 0), new(2026, 10, 25, 2, 30, 0), new(1, 1, 1, 0, 0, 0), new(1, 1, 1, 13, 59, 59),
            new(9999, 12, 31, 23, 59, 59), new(9999, 12, 31, 10, 0, 0), new(2000, 2, 29, 12, 0, 0),
        ];
        foreach (var local in locals)
        {
            var read = clock.Read(local, OverlapChoice.Later, out var mapping);
            Assert.Equal(LocalTimeMapping.Unambiguous, mapping);
            // Past the end of year 9999 UTC NodaTime itself overflows (the mapping used to throw there): no instant, null.
            var ticks = local.Ticks - zone.MaxOffset.ToTimeSpan().Ticks;
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            {
                Assert.Null(read);
                continue;
            }
            var instant = NodaTime.LocalDateTime.FromDateTime(local).InZoneStrictly(zone).ToInstant();
            Assert.NotNull(read);
            Assert.Equal(instant.ToDateTimeUtc().Ticks, read.Value.UtcTicks);
            Assert.Equal(zone.MaxOffset.ToTimeSpan(), read.Value.Offset);
        }
        Assert.Equal(locals.Length, clock.ZonelessCount);
    }

    // 2026: Europe/Amsterdam springs forward on 29 March (02:00 -> 03:00) and falls back on 25 October (03:00 -> 02:00).
    [Theory]
    [InlineData(3, 29, 1, 30, 1, LocalTimeMapping.Unambiguous)] // before the spring change: CET
    [InlineData(3, 29, 3, 30, 2, LocalTimeMapping.Unambiguous)] // after it: CEST
    [InlineData(10, 25, 1, 30, 2, LocalTimeMapping.Unambiguous)] // before the autumn change: CEST
    [InlineData(10, 25, 3, 30, 1, LocalTimeMapping.Unambiguous)] // after it: CET
    public void Times_across_a_DST_change_both_ways_take_the_offset_in_force(int month, int day, int hour, int minute, int offset, LocalTimeMapping expected)
    {
        var clock = SenderClock.InZone("broker 'b'", Amsterdam);

        var read = clock.Read(new DateTime(2026, month, day, hour, minute, 0), OverlapChoice.Earlier, out var mapping);

        Assert.Equal(At(2026, month, day, hour, minute, offset), read);
        Assert.Equal(TimeSpan.FromHours(offset), read!.Value.Offset);
        Assert.Equal(expected, mapping);
        Assert.Equal((0L, 0L), (clock.GapCount, clock.OverlapCount));
    }

    [Fact]
    public void A_time_in_the_spring_gap_is_shifted_forward_by_the_gap_length()
    {
        var clock = SenderClock.InZone("broker 'b'", Amsterdam);

        var read = clock.Read(new DateTime(2026, 3, 29, 2, 30, 0), OverlapChoice.Earlier, out var mapping);

        // 02:30 does not exist: 03:30 CEST, the instant 02:30 CET would have named (01:30 UTC).
        Assert.Equal(LocalTimeMapping.Gap, mapping);
        Assert.Equal(At(2026, 3, 29, 3, 30, 2), read);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), read!.Value.ToUniversalTime());
        Assert.Equal(1, clock.GapCount);
    }

    [Theory]
    [InlineData(OverlapChoice.Earlier, 2, 0)] // 02:30 CEST = 00:30 UTC
    [InlineData(OverlapChoice.Later, 1, 1)] // 02:30 CET = 01:30 UTC
    public void A_time_in_the_autumn_overlap_is_the_instant_the_rule_names(OverlapChoice choice, int offset, int utcHour)
    {
        var clock = SenderClock.InZone("broker 'b'", Amsterdam);

        var read = clock.Read(new DateTime(2026, 10, 25, 2, 30, 0), choice, out var mapping);

        Assert.Equal(LocalTimeMapping.Overlap, mapping);
        Assert.Equal(TimeSpan.FromHours(offset), read!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, utcHour, 30, 0, TimeSpan.Zero), read.Value.ToUniversalTime());
        Assert.Equal(1, clock.OverlapCount);
    }

    private static string GateIns(int count, string time)
    {
        var body = new List<string> { "BGM+34+E1+9", "TDT+20+124E+1+++++9811000:146:11", "NAD+MS+T" };
        string[] containers = ["MSCU1234566", "CSQU3054383"];
        for (var i = 0; i < count; i++)
        {
            body.Add($"EQD+CN+{containers[i % containers.Length]}+45G1:102:5");
            body.Add($"DTM+7:{time}:203");
        }
        body.Add($"CNT+16:{count}");
        return Interchange("CODECO", "D95B", [.. body]);
    }

    private static async Task<TranslatedMessage> TranslateWith(EdifactTranslator translator, string interchange, SenderClock? clock = null)
    {
        var document = await EdifactDocument.ReadAsync(Encoding.Latin1.GetBytes(interchange));
        return translator.Translate(Assert.Single(document.Messages), clock);
    }

    [Fact]
    public async Task A_broker_zone_other_than_the_port_zone_reads_the_same_wall_time_as_another_instant()
    {
        var clocks = Clocks(Amsterdam, o => o.Brokers["uk-agent"] = "Europe/London");
        var translator = new EdifactTranslator { Clocks = clocks };
        var interchange = GateIns(1, "202611260815");

        var londonClock = clocks.ForBroker("uk-agent");
        var portClock = clocks.ForBroker("nl-agent");
        var london = await TranslateWith(translator, interchange, londonClock);
        var port = await TranslateWith(translator, interchange, portClock);

        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 15, 0, TimeSpan.Zero), Assert.Single(london.Events!).OccurredAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 15, 0, TimeSpan.FromHours(1)), Assert.Single(port.Events!).OccurredAt);
        // The UK agent's zone is configured: nothing assumed. The NL agent fell back to the port's zone, which its
        // file reports once (the clock is the file's, so the message itself reports nothing).
        Assert.Null(londonClock.DescribeAssumed());
        Assert.Contains("1 time(s) from broker 'nl-agent' had no time zone and were read in the port's zone Europe/Amsterdam", portClock.DescribeAssumed(), StringComparison.Ordinal);
        Assert.DoesNotContain(port.Diagnostics, d => d.Code == MappingErrorCodes.DateWithoutOffset);
    }

    [Fact]
    public async Task A_missing_zone_is_reported_once_per_message_with_the_count_at_the_first_time()
    {
        var message = await TranslateWith(new EdifactTranslator(), GateIns(3, "202611260815"));

        var finding = Assert.Single(message.Diagnostics, d => d.Code == MappingErrorCodes.DateWithoutOffset);
        Assert.Equal((EdifactSeverity.Warning, 7, 1, 2), (finding.Severity, finding.Segment, finding.Element, finding.Component));
        Assert.StartsWith("3 time(s) from the sender had no time zone", finding.Message, StringComparison.Ordinal);
        Assert.Contains("read as UTC", finding.Message, StringComparison.Ordinal);
        Assert.All(message.Events!, e => Assert.Equal(TimeSpan.Zero, e.OccurredAt.Offset));
    }

    [Fact]
    public async Task Daylight_saving_guesses_are_reported_once_per_message_with_their_counts()
    {
        var translator = new EdifactTranslator { Clocks = Clocks(configure: o => o.Brokers["b"] = Amsterdam) };

        var message = await TranslateWith(translator, GateIns(2, "202610250230"));

        var dst = Assert.Single(message.Diagnostics, d => d.Code == MappingErrorCodes.DateDaylightSaving);
        Assert.Contains("0 time(s)", dst.Message, StringComparison.Ordinal);
        Assert.Contains("2 in an overlap", dst.Message, StringComparison.Ordinal);
        Assert.All(message.Events!, e => Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), e.OccurredAt));
    }

    private static BatchFilePipeline Pipeline(PartnerClocks clocks) => new(
        Options.Create(new BatchOptions()),
        new EdifactTranslator { Clocks = clocks },
        new RecordingEventPublisher(),
        new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
        new RecordingDocumentStore(),
        new RecordingCompletion());

    [Fact]
    public async Task A_file_of_many_messages_reports_a_missing_zone_once_with_the_count()
    {
        var file = new StringBuilder("UNA:+.? 'UNB+UNOC:3+SENDER+RECIPIENT+261126:0800+IC1'");
        for (var n = 1; n <= 50; n++)
        {
            file.Append($"UNH+{n}+CODECO:D:95B:UN'BGM+34+E{n}+9'TDT+20+124E+1+++++9811000:146:11'NAD+MS+T'EQD+CN+MSCU1234566+45G1:102:5'DTM+7:2026112608{n % 60:00}:203'CNT+16:1'UNT+8+{n}'");
        }
        file.Append("UNZ+50+IC1'");

        var analysis = await Pipeline(Clocks(port: null)).AnalyzeAsync(new BatchFile("acme", "gate.edi", 0), new MemoryStream(Encoding.Latin1.GetBytes(file.ToString())));

        var counts = analysis.Findings.Counts.ToDictionary(c => c.Code, c => c.Count);
        Assert.Equal(1, counts[BatchErrorCodes.TimeZoneAssumed]);
        Assert.False(counts.ContainsKey(MappingErrorCodes.DateWithoutOffset));
        var finding = Assert.Single(analysis.Findings.Kept, f => f.Code == BatchErrorCodes.TimeZoneAssumed);
        Assert.StartsWith("50 time(s) from broker 'acme' had no time zone", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(analysis.Findings.Counts, c => c.IsError);
    }

    [Fact]
    public async Task A_configured_broker_zone_reads_a_CSV_time_without_offset_and_reports_nothing()
    {
        const string csv = "containerNumber,vesselImo,voyage,dischargedAt\r\nMSCU1234566,9811000,124E,2026-03-29T03:30:00\r\nCSQU3054383,9811000,124E,2026-03-29T01:30:00\r\n";
        var clocks = Clocks(Amsterdam, o => o.Brokers["acme"] = "America/New_York");
        var rows = new List<Manifests.DischargeListEntry>();
        var findings = new List<BatchFinding>();
        var clock = clocks.ForBroker("acme");

        await foreach (var row in Manifests.DischargeListCsvReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), findings.Add, clock: clock))
        {
            rows.Add(row);
        }

        Assert.Empty(findings);
        // New York is on EDT since 8 March 2026: -04:00, whatever Amsterdam did that night.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 30, 0, TimeSpan.FromHours(-4)), rows[0].Container.DischargedAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.FromHours(-4)), rows[1].Container.DischargedAt);
        Assert.Null(clock.DescribeAssumed());
    }

    [Fact]
    public async Task A_CSV_time_without_offset_is_still_refused_where_no_clock_is_given()
    {
        const string csv = "containerNumber,vesselImo,voyage,dischargedAt\r\nMSCU1234566,9811000,124E,2026-03-29T03:30:00\r\n";
        var findings = new List<BatchFinding>();

        await foreach (var _ in Manifests.DischargeListCsvReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), findings.Add))
        {
        }

        Assert.Equal(BatchErrorCodes.DateTime, Assert.Single(findings).Code);
    }

    private static async Task<CustomsNotification> ReleaseAsync(PartnerClocks clocks, string dtm, string gis = "4")
    {
        var translator = new EdifactTranslator(time: new FakeTimeProvider(ReceivedAt)) { Clocks = clocks };
        var message = await TranslateWith(translator, Interchange("CUSRES", "D96B", "BGM+962+REF1+9", dtm, $"GIS+{gis}", "EQD+CN+MSCU1234566", "RFF+ABT:REF1"));
        return Assert.Single(message.Notifications!);
    }

    [Fact]
    public async Task A_zoneless_release_is_ordered_only_when_the_authority_zone_is_configured()
    {
        var authority = new CustomsAuthorityOptions().Name;
        var portOnly = await ReleaseAsync(Clocks(Amsterdam), "DTM+182:202611261340:203");
        var configured = await ReleaseAsync(Clocks(Amsterdam, o => o.CustomsAuthorities[authority] = Amsterdam), "DTM+182:202611261340:203");

        // The port's default zone is a guess for customs: the gate-safety rule stands and the release cannot clear.
        Assert.False(portOnly.IssuedAtZoned);
        Assert.True(configured.IssuedAtZoned);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 13, 40, 0, TimeSpan.FromHours(1)), configured.IssuedAt);
        Assert.Equal(GateDecision.Clear, ReleaseDecision.Decide(StateOf(configured)).Decision);
        Assert.NotEqual(GateDecision.Clear, ReleaseDecision.Decide(StateOf(portOnly)).Decision);
    }

    [Theory]
    [InlineData("4", 0)] // a release in the overlap: the earlier instant, so no hold of that hour is outranked by a guess
    [InlineData("7", 1)] // a detention: the later instant
    public async Task A_customs_time_in_the_overlap_resolves_against_the_release(string gis, int utcHour)
    {
        var authority = new CustomsAuthorityOptions().Name;
        var notification = await ReleaseAsync(Clocks(Amsterdam, o => o.CustomsAuthorities[authority] = Amsterdam), "DTM+182:202610250230:203", gis);

        Assert.Equal(new DateTimeOffset(2026, 10, 25, utcHour, 30, 0, TimeSpan.Zero), notification.IssuedAt.ToUniversalTime());
    }

    private static ContainerCustomsState StateOf(CustomsNotification notification) => ContainerCustomsState.Start(notification);

    [Theory]
    [InlineData("Europe/Amsterdam", null, true)]
    [InlineData("Mars/Olympus", null, false)]
    [InlineData(null, "CET-1", false)]
    [InlineData(null, "Asia/Singapore", true)]
    public void Options_refuse_a_zone_that_is_not_IANA(string? port, string? broker, bool valid)
    {
        var options = new PartnerTimeZoneOptions { Port = port };
        if (broker is not null)
        {
            options.Brokers["b"] = broker;
        }

        var result = new PartnerTimeZoneOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
    }
}
