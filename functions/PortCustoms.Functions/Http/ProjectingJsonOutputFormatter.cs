using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.Extensions.Options;

namespace PortCustoms.Functions.Http;

/// <summary>
/// The app's only JSON output formatter: every <see cref="ObjectResult"/> (answers and problems alike) is written with the
/// serializer options of the request's <see cref="ResponseAudience"/>, so no route filters fields by hand and none can
/// forget to. It replaces MVC's System.Text.Json formatter, so there is no unprojected JSON writer to fall back on.
/// </summary>
public sealed class ProjectingJsonOutputFormatter : TextOutputFormatter
{
    public ProjectingJsonOutputFormatter()
    {
        SupportedEncodings.Add(Encoding.UTF8);
        SupportedMediaTypes.Add("application/json");
        SupportedMediaTypes.Add("text/json");
        SupportedMediaTypes.Add("application/*+json");
    }

    public override async Task WriteResponseBodyAsync(OutputFormatterWriteContext context, Encoding selectedEncoding)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var options = ResponseProjection.OptionsFor(ResponseProjection.AudienceOf(http));
        // The runtime type: a value is projected by what it is, not by how a function happened to declare it.
        var type = context.Object?.GetType() ?? typeof(object);
        await JsonSerializer.SerializeAsync(http.Response.Body, context.Object, type, options, http.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>Puts <see cref="ProjectingJsonOutputFormatter"/> in the place of MVC's JSON formatter (after every other setup).</summary>
internal sealed class ProjectingJsonFormatterSetup : IPostConfigureOptions<MvcOptions>
{
    public void PostConfigure(string? name, MvcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.OutputFormatters.RemoveType<SystemTextJsonOutputFormatter>();
        if (!options.OutputFormatters.OfType<ProjectingJsonOutputFormatter>().Any())
        {
            options.OutputFormatters.Add(new ProjectingJsonOutputFormatter());
        }
    }
}
