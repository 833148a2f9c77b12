using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PortCustoms.Cloud;
using PortCustoms.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// The worker runs in Azure: it fails closed, refusing to start without Service Bus, storage or residency settings.
builder.Services.AddPortCustomsApp(builder.Configuration, builder.Environment, RunMode.Azure);
// Function invocation spans and the host's correlation, on top of the app's own telemetry.
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.Build().Run();
