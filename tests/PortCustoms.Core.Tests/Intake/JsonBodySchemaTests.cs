using System.Text.Json;
using PortCustoms.Core.Intake;

namespace PortCustoms.Core.Tests.Intake;

public sealed class JsonBodySchemaTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Every_schema_file_loads_and_is_found_by_its_id()
    {
        Assert.Contains("gate-query.schema.json", JsonBodySchema.FileNames);
        foreach (var name in JsonBodySchema.FileNames)
        {
            Assert.Equal(new Uri(JsonBodySchema.IdBase + name), JsonBodySchema.Get(name).Id);
        }
    }

    [Fact]
    public void A_valid_gate_query_has_no_finding()
    {
        var findings = JsonBodySchema.GateQuery.Validate(Json("""
            { "containerNumber": "MSCU1234566", "direction": "OUT", "gateTransactionId": "G-1", "terminal": "NLRTM-ECT",
              "requestedAt": "2026-11-26T08:15:00+01:00", "laneId": 7 }
            """));
        Assert.Empty(findings);
    }

    [Fact]
    public void A_missing_field_is_reported_where_it_is_missing_with_its_keyword_and_code()
    {
        var findings = JsonBodySchema.GateQuery.Validate(Json("""{ "direction": "SIDEWAYS", "gateTransactionId": "G-1", "terminal": 5 }"""), out var total);
        Assert.Contains(findings, f => f is { Location: "/containerNumber", Keyword: "required", Code: "JSON-SCHEMA-REQUIRED", Field: "containerNumber" });
        Assert.Contains(findings, f => f is { Location: "/direction", Keyword: "enum", Code: "JSON-SCHEMA-ENUM" });
        Assert.Contains(findings, f => f is { Location: "/terminal", Keyword: "type", Code: "JSON-SCHEMA-TYPE" });
        Assert.Equal(3, total);
    }

    [Fact]
    public void An_event_inside_an_array_is_named_by_its_index()
    {
        var findings = JsonBodySchema.ContainerStatusEvent.Validate(Json("""
            { "eventId": "E-1", "containerNumber": "MSCU1234566", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z",
              "sealNumbers": ["ok", 3], "grossMassKg": -1, "location": "nlrtm" }
            """), out _, "/4");
        Assert.Contains(findings, f => f is { Location: "/4/sealNumbers/1", Keyword: "type", Field: "[4].sealNumbers[1]" });
        Assert.Contains(findings, f => f is { Location: "/4/grossMassKg", Keyword: "minimum" });
        Assert.Contains(findings, f => f is { Location: "/4/location", Keyword: "pattern" });
    }

    [Fact]
    public void Findings_are_bounded_and_all_counted()
    {
        var many = "[" + string.Join(",", Enumerable.Range(0, 300).Select(_ => "1")) + "]";
        var findings = JsonBodySchema.Get("terminal-events-file.schema.json").Validate(Json(many), out var total);
        Assert.True(findings.Count <= JsonBodySchema.MaxFindings);
        Assert.True(total >= 300);
    }

    [Theory]
    [InlineData("", "$")]
    [InlineData("/containerNumber", "containerNumber")]
    [InlineData("/3/sealNumbers/0", "[3].sealNumbers[0]")]
    [InlineData("/lane/id", "lane.id")]
    [InlineData("/a~1b/c~0d", "a/b.c~d")]
    public void A_location_names_the_field_as_the_intakes_do(string location, string field) =>
        Assert.Equal(field, JsonSchemaFinding.FieldOf(location));
}
