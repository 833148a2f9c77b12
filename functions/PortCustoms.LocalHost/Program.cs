using PortCustoms.LocalHost;

// `dotnet run --project functions/PortCustoms.LocalHost`: the app on http://127.0.0.1:7071/api/..., Azurite included.
var host = await LocalFunctionsHost.StartAsync(new LocalFunctionsHostOptions { Args = args });
await using (host.ConfigureAwait(false))
{
    await host.WaitForShutdownAsync().ConfigureAwait(false);
}
