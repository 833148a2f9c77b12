using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;
using PortCustoms.Core.Intake;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Containers;

/// <summary><c>GET /api/v1/containers/{containerNumber}</c>: the container's customs status and history (see <see cref="ContainerView"/>).</summary>
public sealed class ContainerViewFunction
{
    private readonly CustomsStateStore _customs;
    private readonly ContainerTimelineService _timelines;
    private readonly ILogger<ContainerViewFunction> _logger;
    private readonly PendingDeliveryStore? _pending;

    public ContainerViewFunction(CustomsStateStore customs, ContainerTimelineService timelines, ILogger<ContainerViewFunction> logger, PendingDeliveryStore? pending = null)
    {
        _pending = pending;
        _customs = customs ?? throw new ArgumentNullException(nameof(customs));
        _timelines = timelines ?? throw new ArgumentNullException(nameof(timelines));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    [Function("ContainerView")]
    [CallerRoles(CallerRole.Terminal, CallerRole.Customs, CallerRole.Operator)]
    [ProducesResponseType<ContainerView>(StatusCodes.Status200OK)]
    [CustomsData]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/containers/{containerNumber}")] HttpRequest request,
        FunctionContext? context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = RouteValue(request, context, "containerNumber") ?? string.Empty;
        var error = ContainerNumber.TryParse(text.AsSpan(), out var container);
        if (error != ContainerNumberError.None)
        {
            var errors = new FieldErrors();
            errors.Add("containerNumber", $"'{text}' is not a valid container number: {ContainerNumber.Describe(error)}.");
            return Problems.Invalid(errors);
        }
        return await ReadAsync(container, cancellationToken).ConfigureAwait(false) is { } view
            ? new OkObjectResult(view)
            : Problems.Create(StatusCodes.Status503ServiceUnavailable, "Customs status unavailable", "The container's customs status could not be read; try again.");
    }

    /// <summary>The view, or null when the stores could not be read (logged).</summary>
    private async Task<ContainerView?> ReadAsync(ContainerNumber container, CancellationToken cancellationToken)
    {
        ContainerCustomsState? state;
        IReadOnlyList<StoredCustomsNotification> history;
        ContainerTimelineView timeline;
        IReadOnlyList<PendingDelivery> waiting = [];
        try
        {
            var waitingTask = _pending?.ListAsync(container, cancellationToken);
            var stateTask = _customs.GetStateAsync(container, cancellationToken);
            var historyTask = _customs.GetHistoryAsync(container, cancellationToken);
            var timelineTask = _timelines.GetAsync(container, cancellationToken);
            state = await stateTask.ConfigureAwait(false);
            history = await historyTask.ConfigureAwait(false);
            timeline = await timelineTask.ConfigureAwait(false);
            if (waitingTask is not null)
            {
                waiting = await waitingTask.ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.ContainerViewUnavailable(ex, container);
            return null;
        }
        return new ContainerView
        {
            ContainerNumber = container.ToString(),
            CustomsStatus = state is null ? null : CustomsStatusView.From(state),
            History = history.Select(CustomsHistoryEntryView.From).ToList(),
            Timeline = timeline.Events.Select(TimelineEventView.From).ToList(),
            Anomalies = timeline.Anomalies.Select(AnomalyView.From).ToList(),
            WaitingForCustoms = waiting.Select(WaitingEventView.From).ToList(),
        };
    }

    // ASP.NET Core routing fills RouteValues (LocalHost, and the Functions ASP.NET Core integration); the Functions
    // binding data has it too.
    private static string? RouteValue(HttpRequest request, FunctionContext? context, string name)
    {
        if (request.RouteValues.TryGetValue(name, out var value) && value is not null)
        {
            return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return context?.BindingContext.BindingData.TryGetValue(name, out var bound) == true ? bound?.ToString() : null;
    }
}
