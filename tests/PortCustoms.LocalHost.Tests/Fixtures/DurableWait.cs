using Microsoft.DurableTask.Client;

namespace PortCustoms.LocalHost.Tests.Fixtures;

public static class DurableWait
{
    /// <summary>
    /// Polls the instance until it finishes. The in-process test host (0.2.3-preview.1) never answers
    /// WaitForInstanceCompletion for an instance that completed while the wait was open, so we poll instead.
    /// </summary>
    public static async Task<OrchestrationMetadata> UntilFinishedAsync(DurableTaskClient client, string instanceId, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var state = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cts.Token);
            if (state is { RuntimeStatus: OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated })
            {
                return state;
            }

            await Task.Delay(1000, cts.Token);
        }
    }
}
