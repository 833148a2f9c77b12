using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Events;
using PortCustoms.Core.Events;
using PortCustoms.Functions.Tests.Events.Fixtures;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Functions.Tests.Events;

public sealed class HttpCustomsEventSinkTests : IAsyncDisposable
{
    private readonly CustomsStatusEventsDouble _customs = new();

    private HttpCustomsEventSink Sink(Uri? baseAddress)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(HttpCustomsEventSink.HttpClientName);
        var factory = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        return new HttpCustomsEventSink(factory, Options.Create(new CustomsEventSinkOptions { BaseAddress = baseAddress }));
    }

    private static CustomsStatusNotice Notice() => new(Event("E-1", ContainerEventType.Discharged, 0), 1, false);

    [Fact]
    public async Task Customs_down_then_failing_then_up_is_transient_transient_delivered()
    {
        var sink = Sink(_customs.BaseAddress);
        var down = await sink.DeliverAsync(Notice());
        Assert.Equal(CustomsDeliveryOutcome.TransientFailure, down.Outcome);

        await _customs.StartAsync(CustomsDoubleMode.Fail500);
        Assert.Equal(CustomsDeliveryResult.TransientFailure("HTTP 500"), await sink.DeliverAsync(Notice()));

        _customs.Mode = CustomsDoubleMode.Accept;
        Assert.Equal(CustomsDeliveryOutcome.Delivered, (await sink.DeliverAsync(Notice())).Outcome);
        var arrival = Assert.Single(_customs.Arrivals);
        Assert.Equal(("E-1", "E-1"), (arrival.EventId, arrival.IdempotencyKey));
    }

    [Fact]
    public async Task No_base_address_holds_the_event_as_transient()
    {
        var result = await Sink(null).DeliverAsync(Notice());
        Assert.Equal(CustomsDeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Contains("BaseAddress", result.Reason, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _customs.DisposeAsync();
}
