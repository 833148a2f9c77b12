using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PortCustoms.Edifact;
using PortCustoms.Core.Customs;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Customs;

/// <summary>
/// The 400 for a malformed CUSRES interchange, written straight to the response with <see cref="Utf8JsonWriter"/>:
/// RFC 9457 fields, <c>errors</c> by place and <c>diagnostics</c> for the first findings, <c>diagnosticCount</c> and
/// <c>diagnosticCounts</c> (per code) for all of them, and the CONTRL when the interchange is small enough to answer in
/// full. Its size is bounded whatever the input (issue 10: 4 MB of <c>UNH'</c> once answered with 826 MB).
/// </summary>
internal sealed class BoundedEdifactProblem(BoundedFindings findings, string? contrl, int? contrlOmittedForMessages) : IActionResult
{
    // A single message, a finding's text, is kept short: one pathological segment cannot inflate the answer either.
    private const int MaxMessageLength = 500;

    private const int Status = StatusCodes.Status400BadRequest;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = Problems.ContentType;
        await using var writer = new Utf8JsonWriter(response.Body);
        Write(writer);
        await writer.FlushAsync(context.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    internal void Write(Utf8JsonWriter writer)
    {
        var first = findings.First();
        writer.WriteStartObject();
        writer.WriteString("type", Problems.TypeFor(Status));
        writer.WriteString("title", "Malformed CUSRES interchange");
        writer.WriteNumber("status", Status);
        var shown = first.Count < findings.Count ? $" The first {first.Count} of {findings.Count} findings are listed; diagnosticCounts counts all by code." : string.Empty;
        writer.WriteString("detail", "The interchange was not accepted and nothing of it was stored; correct it and send it again." + shown);

        writer.WriteStartObject("errors");
        foreach (var place in first.GroupBy(d => d.Segment > 0 ? $"segment {d.Segment}" : "interchange"))
        {
            writer.WriteStartArray(place.Key);
            foreach (var d in place)
            {
                writer.WriteStringValue(Describe(d));
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();

        writer.WriteStartArray("diagnostics");
        foreach (var d in first)
        {
            writer.WriteStartObject();
            writer.WriteString("code", d.Code);
            writer.WriteString("message", Shorten(d.Message));
            WriteNumberOrNull(writer, "line", d.Line > 0 ? d.Line : null);
            WriteNumberOrNull(writer, "segment", d.Segment > 0 ? d.Segment : null);
            WriteNumberOrNull(writer, "element", d.Element);
            WriteNumberOrNull(writer, "component", d.Component);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteNumber("diagnosticCount", findings.Count);
        writer.WriteStartObject("diagnosticCounts");
        foreach (var (code, count) in findings.CountsByCode.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(code, count);
        }
        if (findings.Uncounted > 0)
        {
            writer.WriteNumber("(past the validator's limit)", findings.Uncounted);
        }
        writer.WriteEndObject();
        if (contrl is not null)
        {
            writer.WriteString("contrl", contrl);
        }
        else if (contrlOmittedForMessages is { } messages)
        {
            writer.WriteString("contrlOmitted", $"The interchange holds {messages} messages; a CONTRL is answered for at most {CustomsNotificationIntake.MaxContrlMessages}.");
        }
        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Shorten(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "...";

    private static string Describe(EdifactDiagnostic d)
    {
        var at = d.Element is { } e ? (d.Component is { } c ? $" (element {e}, component {c})" : $" (element {e})") : string.Empty;
        return $"{d.Code}{at}: {Shorten(d.Message)}";
    }
}
