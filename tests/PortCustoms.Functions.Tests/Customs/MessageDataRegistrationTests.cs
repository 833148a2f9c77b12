using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Gate;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Customs;

/// <summary>Issue 15 points 4-6 as the app registers them: code lists, partner time zones and message versions checked at start.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MessageDataRegistrationTests(AzuriteFixture azurite)
{
    [Fact]
    public void An_override_file_reaches_the_batch_translator_and_the_authority_map()
    {
        var path = Path.Combine(Path.GetTempPath(), $"codelist-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            { "list": "customs-status", "version": "port 2026-12", "mode": "extend",
              "authorities": { "UN/EDIFACT 7365": { "5": { "decision": "HOLD", "reason": "Documentary check" }, "9": { "decision": "INSPECT", "reason": "Scan" } } } }
            """);
        try
        {
            using var app = FunctionApp.Create(azurite, new Dictionary<string, string?>
            {
                ["CodeLists:Overrides:0"] = path,
                ["CodeLists:Unmapped"] = "Reject",
                ["CustomsAuthority:StatusCodes:9:Decision"] = "HOLD",
                ["CustomsAuthority:StatusCodes:9:Reason"] = "Configured wins",
            });

            var lists = app.Services.GetRequiredService<CodeListService>();
            var authority = app.Services.GetRequiredService<IOptions<CustomsAuthorityOptions>>().Value;
            Assert.Equal(UnmappedCodeAction.Reject, lists.Unmapped);
            Assert.Equal((GateDecision.Hold, "Documentary check"), (authority.StatusCodes["5"].Decision, authority.StatusCodes["5"].Reason));
            Assert.Equal((GateDecision.Hold, "Configured wins"), (authority.StatusCodes["9"].Decision, authority.StatusCodes["9"].Reason));
            Assert.Equal(GateDecision.Clear, authority.StatusCodes["4"].Decision);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("CodeLists:Overrides:0", "/nonexistent/codelists/unlocode.json", "CodeLists:Overrides")]
    [InlineData("PartnerTimeZones:Port", "Europe/Atlantis", "PartnerTimeZones:Port")]
    [InlineData("MessageVersions:PortLocode", "rotterdam", "MessageVersions:PortLocode")]
    public void A_bad_setting_stops_the_start_with_its_name(string key, string value, string named)
    {
        var ex = Assert.ThrowsAny<OptionsValidationException>(() => FunctionApp.Create(azurite, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }
}
