using System.Text;
using Microsoft.AspNetCore.Http;
using PortCustoms.Core.Intake;
using PortCustoms.Functions.Http;
using PortCustoms.Functions.Tests.Fixtures;

namespace PortCustoms.Functions.Tests.Http;

/// <summary>The one body reader, the one problem builder and the media types.</summary>
public sealed class HttpLayerTests
{
    private static HttpRequest Request(byte[] body, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = contentLength;
        return context.Request;
    }

    [Fact]
    public async Task ReadAsync_BodyWithinTheLimit_ReadWhole()
    {
        var body = Encoding.UTF8.GetBytes(new string('x', 40_000));

        var read = await HttpBody.ReadAsync(Request(body, contentLength: null), 40_000, CancellationToken.None);

        Assert.Equal(body, read!.Value.ToArray());
    }

    [Fact]
    public async Task ReadAsync_ContentLengthPastTheLimit_RefusedUnread()
    {
        var stream = new MemoryStream(new byte[10]);
        var context = new DefaultHttpContext();
        context.Request.Body = stream;
        context.Request.ContentLength = 1001;

        Assert.Null(await HttpBody.ReadAsync(context.Request, 1000, CancellationToken.None));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task ReadAsync_BodyLongerThanItsContentLengthSays_RefusedAtTheLimit()
    {
        Assert.Null(await HttpBody.ReadAsync(Request(new byte[100_000], contentLength: 10), 50_000, CancellationToken.None));
    }

    [Fact]
    public async Task TooLarge_Is413WithEveryProblemField()
    {
        var response = await FunctionApp.ExecuteAsync(HttpBody.TooLarge(1000));

        Assert.Equal(413, response.Status);
        AssertProblemFields(response);
    }

    [Theory]
    [InlineData(409, "Conflict")]
    [InlineData(503, "Unavailable")]
    public async Task Create_EveryProblemHasTypeTitleStatusDetailAndErrors(int status, string title)
    {
        var response = await FunctionApp.ExecuteAsync(Problems.Create(status, title, "why"));

        Assert.Equal(status, response.Status);
        Assert.StartsWith(Problems.ContentType, response.ContentType, StringComparison.Ordinal);
        AssertProblemFields(response);
    }

    [Fact]
    public async Task Invalid_NamesEachFieldInErrors()
    {
        var errors = new FieldErrors();
        errors.Add("containerNumber", "bad check digit");

        var response = await FunctionApp.ExecuteAsync(Problems.Invalid(errors));

        AssertProblemFields(response);
        Assert.Equal("bad check digit", response.Json.GetProperty("errors").GetProperty("containerNumber")[0].GetString());
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("application/json", true)]
    [InlineData("Application/JSON; charset=utf-8", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("text/plain", false)]
    [InlineData("application/EDIFACT", false)]
    [InlineData("not a media type", false)]
    public void IsJsonOrNone_ParsesTheMediaType(string? contentType, bool expected) =>
        Assert.Equal(expected, MediaTypes.IsJsonOrNone(contentType));

    [Theory]
    [InlineData("application/EDIFACT", true)]
    [InlineData("application/edifact; charset=iso-8859-1", true)]
    [InlineData("application/edifact-x", false)]
    [InlineData(null, false)]
    public void IsEdifact_ParsesTheMediaType(string? contentType, bool expected) =>
        Assert.Equal(expected, MediaTypes.IsEdifact(contentType));

    private static void AssertProblemFields(HttpResult response)
    {
        var json = response.Json;
        foreach (var field in new[] { "type", "title", "detail" })
        {
            Assert.False(string.IsNullOrEmpty(json.GetProperty(field).GetString()), field);
        }
        Assert.Equal(response.Status, json.GetProperty("status").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, json.GetProperty("errors").ValueKind);
    }
}
