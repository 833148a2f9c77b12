using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Customs;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Functions.Customs;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Customs;

/// <summary>CUSRES interchanges on <c>POST /api/v1/customs/notifications</c> (<c>application/EDIFACT</c>), through the app's registrations and Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EdifactNotificationTests(AzuriteFixture azurite) : IDisposable
{
    private const string TwoMessages =
        "UNA:+.? '\nUNB+UNOC:3+NLCUSTOMS:ZZZ+NLRTMECT:ZZZ+261126:0710+CR000042'\n"
        + "UNH+1+CUSRES:D:95B:UN'\nBGM+962+24NL0000000000001+9'\nDTM+182:202611260710?+00:303'\nGIS+4'\nFTX+AAH+++Released after documentary check'\nEQD+CN+MSCU1234566'\nRFF+ABT:24NL0000000000001'\nUNT+8+1'\n"
        + "UNH+2+CUSRES:D:95B:UN'\nBGM+962+24NL0000000000002+9'\nDTM+182:202611260712?+00:303'\nGIS+7'\nEQD+CN+MAEU7654320'\nEQD+CN+TGHU1112229'\nRFF+ABT:24NL0000000000002'\nUNT+8+2'\n"
        + "UNZ+2+CR000042'\n";

    private readonly FunctionApp _app = FunctionApp.Create(azurite);

    public void Dispose() => _app.Dispose();

    private async Task<HttpResult> PostAsync(string body, string contentType = "application/EDIFACT") =>
        await FunctionApp.ExecuteAsync(await _app.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(body, contentType), CancellationToken.None));

    private Task<ContainerCustomsState?> StateAsync(string container) =>
        _app.Services.GetRequiredService<CustomsStateStore>().GetStateAsync(FunctionApp.Container(container));

    [Fact]
    public async Task Each_CUSRES_message_is_stored_as_notifications_before_202()
    {
        var response = await PostAsync(TwoMessages);

        Assert.Equal(202, response.Status);
        Assert.Equal("CR000042", response.Json.GetProperty("interchangeReference").GetString());
        Assert.Equal(
            [("EDI:NLCUSTOMS:CR000042:1", "APPLIED"), ("EDI:NLCUSTOMS:CR000042:2:MAEU7654320", "APPLIED"), ("EDI:NLCUSTOMS:CR000042:2:TGHU1112229", "APPLIED")],
            response.Json.GetProperty("notifications").EnumerateArray().Select(n => (n.GetProperty("notificationId").GetString(), n.GetProperty("outcome").GetString())));
        var released = (await StateAsync("MSCU1234566"))!.Current;
        Assert.Equal((CustomsStatus.Released, "24NL0000000000001", new DateTimeOffset(2026, 11, 26, 7, 10, 0, TimeSpan.Zero)), (released.Status, released.CustomsReference, released.IssuedAt));
        Assert.Equal(CustomsStatus.Hold, (await StateAsync("MAEU7654320"))!.Current.Status);
    }

    [Fact]
    public async Task An_unmapped_status_code_is_held_and_counted_for_the_alert_rule()
    {
        using var collector = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            _app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "PortCustoms.Gate", "portcustoms.codes.unmapped");
        var body = TwoMessages.Replace("GIS+4'", "GIS+4'\nGIS+99'", StringComparison.Ordinal).Replace("UNT+8+1'", "UNT+9+1'", StringComparison.Ordinal);

        var response = await PostAsync(body);

        Assert.Equal(202, response.Status);
        Assert.Contains("99", response.Json.GetProperty("warnings").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(CustomsStatus.Hold, (await StateAsync("MSCU1234566"))!.Current.Status);
        var measurement = Assert.Single(collector.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("CUSRES", measurement.Tags["messageType"]);
    }

    [Fact]
    public async Task A_resent_interchange_has_no_second_effect()
    {
        await PostAsync(TwoMessages);
        var again = await PostAsync(TwoMessages);

        Assert.Equal(202, again.Status);
        Assert.All(again.Json.GetProperty("notifications").EnumerateArray(), n => Assert.Equal("DUPLICATE", n.GetProperty("outcome").GetString()));
        Assert.Single(await _app.Services.GetRequiredService<CustomsStateStore>().GetHistoryAsync(FunctionApp.Container("MSCU1234566")));
    }

    [Fact]
    public async Task An_interchange_resent_under_the_same_references_with_other_content_is_a_409_naming_the_ids()
    {
        await PostAsync(TwoMessages);
        // Same UNB/UNH references, the release turned into a detention: the derived id now names other content.
        var other = await PostAsync(TwoMessages.Replace("GIS+4'", "GIS+7'", StringComparison.Ordinal));

        Assert.Equal(409, other.Status);
        Assert.Equal(["EDI:NLCUSTOMS:CR000042:1"], other.Json.GetProperty("notificationIds").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(["CONFLICT", "DUPLICATE", "DUPLICATE"], other.Json.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("outcome").GetString()));
        Assert.Equal(CustomsStatus.Released, (await StateAsync("MSCU1234566"))!.LatestRelease?.Status);
    }

    [Fact]
    public async Task A_time_without_zone_is_accepted_with_a_warning_in_the_receipt_and_never_releases()
    {
        var response = await PostAsync(TwoMessages.Replace("DTM+182:202611260710?+00:303", "DTM+182:202611260710:203", StringComparison.Ordinal));

        Assert.Equal(202, response.Status);
        var warning = Assert.Single(response.Json.GetProperty("warnings").EnumerateArray());
        Assert.Equal(("EDI-MAP-DATE-NO-OFFSET", 4), (warning.GetProperty("code").GetString(), warning.GetProperty("segment").GetInt32()));
        var state = (await StateAsync("MSCU1234566"))!;
        Assert.Null(state.LatestRelease);
        Assert.Equal(PortCustoms.Core.Gate.GateDecision.Hold, PortCustoms.Core.Gate.ReleaseDecision.Decide(state).Decision);
    }

    [Fact]
    public async Task A_malformed_interchange_is_a_400_with_positioned_errors_and_a_CONTRL_and_nothing_is_stored()
    {
        var response = await PostAsync(TwoMessages.Replace("EQD+CN+MAEU7654320", "EQD+CN+MAEU7654321", StringComparison.Ordinal));

        Assert.Equal(400, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        var error = Assert.Single(response.Json.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal(("EDI-MAP-CONTAINER-CHECK-DIGIT", 15, 14, 2, 1),
            (error.GetProperty("code").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("segment").GetInt32(), error.GetProperty("element").GetInt32(), error.GetProperty("component").GetInt32()));
        Assert.True(response.Json.GetProperty("errors").TryGetProperty("segment 14", out _));
        var contrl = response.Json.GetProperty("contrl").GetString()!;
        Assert.StartsWith("UNA:+.? 'UNB+UNOC:3+NLRTMECT:ZZZ+NLCUSTOMS:ZZZ+", contrl, StringComparison.Ordinal);
        Assert.Contains("UCI+CR000042+NLCUSTOMS:ZZZ+NLRTMECT:ZZZ+7'", contrl, StringComparison.Ordinal);
        Assert.Contains("UCM+1+CUSRES:D:95B:UN+7'", contrl, StringComparison.Ordinal);
        Assert.Contains("UCM+2+CUSRES:D:95B:UN+4'UCS+5'UCD+12+2:1'", contrl, StringComparison.Ordinal);
        Assert.Null(await StateAsync("MSCU1234566"));
    }

    [Fact]
    public async Task An_envelope_count_mismatch_is_a_400()
    {
        var response = await PostAsync(TwoMessages.Replace("UNT+8+2", "UNT+9+2", StringComparison.Ordinal));

        Assert.Equal(400, response.Status);
        Assert.Contains(response.Json.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "EDI-ENV-UNT-COUNT");
        Assert.Null(await StateAsync("MSCU1234566"));
    }

    [Fact]
    public async Task A_message_that_is_not_a_CUSRES_is_a_400()
    {
        var codeco = "UNB+UNOC:3+S+R+261126:0800+IC1'UNH+1+CODECO:D:95B:UN'BGM+34+E1+9'NAD+MS+T'EQD+CN+MSCU1234566'DTM+7:202611260815?+01:303'CNT+16:1'UNT+7+1'UNZ+1+IC1'";
        var response = await PostAsync(codeco);

        Assert.Equal(400, response.Status);
        Assert.Contains(response.Json.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "EDI-MAP-UNSUPPORTED-MESSAGE");
    }

    [Fact]
    public async Task An_issue_time_in_the_future_beyond_the_clock_skew_is_a_400()
    {
        var response = await PostAsync(TwoMessages.Replace("DTM+182:202611260712?+00:303", "DTM+182:202611261200?+00:303", StringComparison.Ordinal));

        Assert.Equal(400, response.Status);
        var error = Assert.Single(response.Json.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal(("EDI-MAP-DATE-FUTURE", 12, 1, 2), (error.GetProperty("code").GetString(), error.GetProperty("segment").GetInt32(), error.GetProperty("element").GetInt32(), error.GetProperty("component").GetInt32()));
        Assert.Null(await StateAsync("MSCU1234566"));
    }

    [Fact]
    public async Task Garbage_is_a_400_not_an_exception()
    {
        var response = await PostAsync("this is not EDIFACT");

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public void The_edifact_customs_format_is_registered_and_selectable_by_configuration()
    {
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?> { ["CustomsPlatform:Format"] = "edifact", ["CustomsPlatform:Edifact:Sender"] = "NLRTMECT" });

        var format = Assert.Single(app.Services.GetServices<CustomsMessageFormat>(), f => f.Name == "edifact");
        Assert.Equal("application/EDIFACT", format.MediaType);
    }

    [Fact]
    public void An_unknown_edifact_directory_fails_at_start()
    {
        Assert.ThrowsAny<Exception>(() => FunctionApp.Create(azurite, new Dictionary<string, string?> { ["CustomsPlatform:Edifact:Directory"] = "D99A" }).Dispose());
    }
}
