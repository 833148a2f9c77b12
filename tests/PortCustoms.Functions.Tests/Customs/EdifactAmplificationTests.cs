using System.Text;
using PortCustoms.Core.Customs;
using PortCustoms.Functions.Customs;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Customs;

/// <summary>Issue 10, point 7: a rejected interchange's problem body stays bounded however many findings the input holds.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EdifactAmplificationTests(AzuriteFixture azurite) : IDisposable
{
    private readonly FunctionApp _app = FunctionApp.Create(azurite);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_body_of_empty_messages_is_a_400_whose_size_is_bounded_with_a_count_per_code()
    {
        // 1 MiB of "UNH'": a quarter of a million messages, each with findings (4 MiB was once answered with an 826 MB
        // problem; a quarter of the input keeps this test light on a shared machine and still far past every bound).
        const int Size = 1024 * 1024;
        var body = new StringBuilder(Size);
        while (body.Length + 4 <= Size)
        {
            body.Append("UNH'");
        }

        var response = await FunctionApp.ExecuteAsync(await _app.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(body.ToString(), "application/EDIFACT"), CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.True(response.Body.Length < 256 * 1024, $"problem body of {response.Body.Length} characters");
        var problem = response.Json;
        Assert.Equal(CustomsNotificationIntake.MaxProblemFindings, problem.GetProperty("diagnostics").GetArrayLength());
        var total = problem.GetProperty("diagnosticCount").GetInt32();
        Assert.True(total > CustomsNotificationIntake.MaxProblemFindings * 100, $"only {total} findings counted");
        Assert.Equal(total, problem.GetProperty("diagnosticCounts").EnumerateObject().Sum(c => c.Value.GetInt32()));
    }

    [Fact]
    public async Task A_small_malformed_interchange_still_lists_every_finding_and_its_CONTRL()
    {
        const string Cusres = "UNA:+.? 'UNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:0710+AMP1'UNH+1+CUSRES:D:96B:UN'BGM+962+R1+9'DTM+182:202611260710?+00:303'GIS+4'EQD+CN+MSCU1234567'RFF+ABT:R1'UNT+7+1'UNZ+1+AMP1'";

        var response = await FunctionApp.ExecuteAsync(await _app.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(Cusres, "application/EDIFACT"), CancellationToken.None));

        Assert.Equal(400, response.Status);
        var problem = response.Json;
        Assert.Equal(problem.GetProperty("diagnosticCount").GetInt32(), problem.GetProperty("diagnostics").GetArrayLength());
        Assert.Equal("EDI-MAP-CONTAINER-CHECK-DIGIT", problem.GetProperty("diagnostics")[0].GetProperty("code").GetString());
        Assert.Contains("UCM+1+CUSRES:D:96B:UN+4'", problem.GetProperty("contrl").GetString(), StringComparison.Ordinal);
    }
}
