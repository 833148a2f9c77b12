using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PortCustoms.Cloud;
using PortCustoms.Functions;
using PortCustoms.Functions.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// Inside the ASP.NET Core integration's own middleware, so the request's HttpContext is there to answer on.
// Caller identity, roles and rates first (a refused caller learns nothing of residency), then residency; the same list
// as PortCustomsApp.WorkerMiddleware, which LocalHost runs.
builder.UseMiddleware<CallerAccessMiddleware>();
builder.UseMiddleware<ResidencyMiddleware>();
// The worker runs in Azure: it fails closed, refusing to start without Service Bus, storage or residency settings.
builder.Services.AddPortCustomsApp(builder.Configuration, builder.Environment, RunMode.Azure);
// Function invocation spans and the host's correlation, on top of the app's own telemetry.
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.Build().Run();
