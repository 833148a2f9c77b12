using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.LocalHost.Tests.Fixtures;

namespace PortCustoms.LocalHost.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class LocalFunctionsHostTests(LocalHostFixture fixture)
{
    [Fact]
    public async Task Health_is_served_on_Kestrel_with_the_storage_state()
    {
        using var response = await fixture.Client.GetAsync("api/v1/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("dependencies").GetProperty("storage").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Http_trigger_binds_route_values_methods_and_the_function_context()
    {
        using var get = await fixture.Client.GetAsync("api/test/echo/rotterdam");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var body = await get.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rotterdam", body.GetProperty("word").GetString());
        Assert.Equal("GET", body.GetProperty("method").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("invocationId").GetString()));

        using var post = await fixture.Client.PostAsync("api/test/echo/antwerp", null);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
    }

    [Fact]
    public async Task Http_trigger_answers_only_its_declared_methods_and_routes()
    {
        using var delete = await fixture.Client.DeleteAsync("api/test/echo/rotterdam");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        using var unknown = await fixture.Client.GetAsync("api/test/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var noPrefix = await fixture.Client.GetAsync("v1/health");
        Assert.Equal(HttpStatusCode.NotFound, noPrefix.StatusCode);
    }

    [Fact]
    public async Task A_function_that_throws_answers_500_and_the_host_keeps_serving()
    {
        using var failed = await fixture.Client.GetAsync("api/test/fails");
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        using var after = await fixture.Client.GetAsync("api/v1/health");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Blob_trigger_hands_each_new_blob_to_the_function_once_with_its_path_values()
    {
        var container = fixture.Azurite.CreateBlobServiceClient().GetBlobContainerClient("test-drops");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("broker-a/manifest 1.edi").UploadAsync(BinaryData.FromString("UNA:+.? '"), overwrite: true);

        Assert.True(await fixture.Recorder.WaitForAsync(c => c.Contains("blob:broker-a:manifest 1.edi:UNA:+.? '"), TimeSpan.FromSeconds(20)));
        // Several more polls pass: the same blob version is never handed over again.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(fixture.Recorder.Calls, c => c.StartsWith("blob:broker-a:manifest 1.edi", StringComparison.Ordinal));

        // A new version of the blob (new ETag) is a new drop.
        await container.GetBlobClient("broker-a/manifest 1.edi").UploadAsync(BinaryData.FromString("second"), overwrite: true);
        Assert.True(await fixture.Recorder.WaitForAsync(c => c.Contains("blob:broker-a:manifest 1.edi:second"), TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Azurite_is_the_landing_account_with_its_containers_created_at_start_and_the_batch_trigger_fed_from_inbound()
    {
        var blobs = fixture.Azurite.CreateBlobServiceClient();
        foreach (var name in new[] { "inbound", "processed", "quarantine", "outbound" })
        {
            Assert.True((await blobs.GetBlobContainerClient(name).ExistsAsync()).Value, name);
        }
        var batch = Assert.Single(fixture.Host.Functions, f => f.Name == PortCustoms.Functions.Batch.BatchDropTrigger.FunctionName);
        Assert.Equal(PortCustoms.LocalHost.Functions.TriggerKind.Blob, batch.Trigger);
    }

    [Fact]
    public async Task Blob_outside_the_trigger_path_is_not_handed_over()
    {
        var container = fixture.Azurite.CreateBlobServiceClient().GetBlobContainerClient("test-drops");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("top-level-file.edi").UploadAsync(BinaryData.FromString("x"), overwrite: true);
        await container.GetBlobClient("broker-b/marker.txt").UploadAsync(BinaryData.FromString("marker"), overwrite: true);

        Assert.True(await fixture.Recorder.WaitForAsync(c => c.Contains("blob:broker-b:marker.txt:marker"), TimeSpan.FromSeconds(20)));
        Assert.DoesNotContain(fixture.Recorder.Calls, c => c.Contains("top-level-file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Orchestration_started_through_a_durable_client_runs_its_activities_with_typed_input()
    {
        using var response = await fixture.Client.PostAsync("api/test/greetings/Rotterdam", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var client = fixture.Host.Services.GetRequiredService<DurableTaskClient>();
        var state = await DurableWait.UntilFinishedAsync(client, id, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("Hello Rotterdam (TestSayHello) Hello Rotterdam (TestSayHello)", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Timer_functions_are_fired_on_the_local_interval_with_a_TimerInfo() =>
        Assert.True(await fixture.Recorder.WaitForAsync(c => c.Count(x => x == "timer:True") >= 2, TimeSpan.FromSeconds(20)));

    [Fact]
    public void Hosted_services_registered_by_the_app_are_started_with_the_host() =>
        Assert.Contains("hosted:started", fixture.Recorder.Calls);
}
