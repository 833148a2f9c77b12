using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PortCustoms.Core.Intake;
using PortCustoms.Functions.Events;
using PortCustoms.Functions.Gate;
using PortCustoms.Functions.Operations;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Contract;

/// <summary>
/// Keeps the JSON Schemas (schemas/json), the validator (Core's <see cref="JsonBodySchema"/>) and the OpenAPI document
/// in step. The schema files are the one source: docs/openapi.json carries each as it is under components/schemas. After
/// changing a schema file, run this class with PORTCUSTOMS_WRITE_OPENAPI=1 to copy the files into the document.
/// </summary>
public sealed class JsonSchemaContractTests
{
    private const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    private static readonly string[] s_jsonMediaTypes = ["application/json", "application/problem+json"];

    private static readonly JsonElement[] s_functions = LoadMetadata();

    private static readonly Lazy<JsonElement> s_openApi = new(LoadOpenApi);

    private static JsonElement[] LoadMetadata()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Contract", "functions.metadata")));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    private static string DocumentPath => RepositoryPaths.Combine("docs", "openapi.json");

    private static string[] SchemaFiles => Directory.GetFiles(RepositoryPaths.Combine("schemas", "json"), "*.schema.json").Order(StringComparer.Ordinal).ToArray();

    private static JsonElement LoadOpenApi()
    {
        if (Environment.GetEnvironmentVariable("PORTCUSTOMS_WRITE_OPENAPI") == "1")
        {
            WriteSchemasIntoDocument();
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(DocumentPath));
        return document.RootElement.Clone();
    }

    private static void WriteSchemasIntoDocument()
    {
        var document = JsonNode.Parse(File.ReadAllText(DocumentPath))!.AsObject();
        var schemas = new JsonObject();
        foreach (var file in SchemaFiles)
        {
            var schema = JsonNode.Parse(File.ReadAllText(file))!;
            schemas[schema["title"]!.GetValue<string>()] = schema;
        }
        document["components"]!["schemas"] = schemas;
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        File.WriteAllText(DocumentPath, document.ToJsonString(options) + "\n");
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static JsonElement Resolve(JsonElement node)
    {
        if (node.TryGetProperty("$ref", out var reference) && reference.GetString()!.StartsWith("#/", StringComparison.Ordinal))
        {
            var target = s_openApi.Value;
            foreach (var part in reference.GetString()![2..].Split('/'))
            {
                target = target.GetProperty(part);
            }
            return target;
        }
        return node;
    }

    private static string? ComponentOf(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) && reference.GetString()!.StartsWith("#/components/schemas/", StringComparison.Ordinal)
            ? reference.GetString()!["#/components/schemas/".Length..]
            : null;

    [Fact]
    public void The_document_is_OpenAPI_3_1_with_JSON_Schema_2020_12_as_its_dialect()
    {
        Assert.StartsWith("3.1.", s_openApi.Value.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal(Dialect, s_openApi.Value.GetProperty("jsonSchemaDialect").GetString());
    }

    [Fact]
    public void Every_HTTP_route_has_a_schema_for_its_request_body_and_each_of_its_responses()
    {
        var components = s_openApi.Value.GetProperty("components").GetProperty("schemas");
        foreach (var function in s_functions.Where(f => Trigger(f).GetProperty("type").GetString() == "httpTrigger"))
        {
            var name = function.GetProperty("name").GetString()!;
            foreach (var method in Trigger(function).GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()))
            {
                var operation = s_openApi.Value.GetProperty("paths").GetProperty("/api/" + Trigger(function).GetProperty("route").GetString()).GetProperty(method);
                if (method == "post")
                {
                    var request = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
                    Assert.True(ComponentOf(request) is { } component && components.TryGetProperty(component, out _), $"{name}: its JSON request body names no schema of components/schemas.");
                }
                foreach (var response in operation.GetProperty("responses").EnumerateObject())
                {
                    var resolved = Resolve(response.Value);
                    Assert.True(resolved.TryGetProperty("content", out var content), $"{name} {response.Name}: no content described.");
                    foreach (var media in content.EnumerateObject())
                    {
                        Assert.True(media.Value.TryGetProperty("schema", out var schema), $"{name} {response.Name} {media.Name}: no schema.");
                        if (s_jsonMediaTypes.Contains(media.Name) && name != "OpenApi")
                        {
                            Assert.True(ComponentOf(schema) is { } component && components.TryGetProperty(component, out _), $"{name} {response.Name} {media.Name}: names no schema of components/schemas.");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Every_schema_file_is_embedded_and_carried_by_the_document_as_it_is()
    {
        var components = s_openApi.Value.GetProperty("components").GetProperty("schemas");
        Assert.Equal(SchemaFiles.Select(Path.GetFileName), JsonBodySchema.FileNames);
        var titles = new List<string>();
        foreach (var file in SchemaFiles)
        {
            var name = Path.GetFileName(file);
            var schema = JsonNode.Parse(File.ReadAllText(file))!;
            Assert.Equal(Dialect, schema["$schema"]?.GetValue<string>());
            Assert.Equal(JsonBodySchema.IdBase + name, schema["$id"]?.GetValue<string>());
            var title = schema["title"]!.GetValue<string>();
            titles.Add(title);
            Assert.True(components.TryGetProperty(title, out var carried), $"{name} ({title}) is not in components/schemas.");
            Assert.True(JsonNode.DeepEquals(schema, JsonNode.Parse(carried.GetRawText())),
                $"components/schemas/{title} differs from schemas/json/{name}: run these tests with PORTCUSTOMS_WRITE_OPENAPI=1.");
        }
        Assert.Equal(titles.Order(StringComparer.Ordinal), components.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_schema_is_used_by_a_route_a_batch_file_or_another_schema()
    {
        var byFile = SchemaFiles.ToDictionary(f => Path.GetFileName(f), f => JsonNode.Parse(File.ReadAllText(f))!["title"]!.GetValue<string>(), StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        foreach (var root in new[] { "paths", "x-portcustoms-batch-files" })
        {
            foreach (var reference in References(s_openApi.Value.GetProperty(root)))
            {
                if (reference.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                {
                    pending.Push(reference["#/components/schemas/".Length..]);
                }
                else if (reference.StartsWith("#/components/responses/", StringComparison.Ordinal))
                {
                    foreach (var inner in References(Resolve(JsonDocument.Parse($"{{\"$ref\":\"{reference}\"}}").RootElement)))
                    {
                        pending.Push(inner["#/components/schemas/".Length..]);
                    }
                }
            }
        }
        var components = s_openApi.Value.GetProperty("components").GetProperty("schemas");
        while (pending.TryPop(out var title))
        {
            if (reached.Add(title))
            {
                foreach (var reference in References(components.GetProperty(title)))
                {
                    Assert.True(byFile.TryGetValue(reference, out var target), $"{title} refers to {reference}, which is no schema file.");
                    pending.Push(target);
                }
            }
        }
        Assert.Equal(byFile.Values.Order(StringComparer.Ordinal), reached.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_request_and_batch_file_schema_has_valid_and_invalid_examples()
    {
        var bodies = s_openApi.Value.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(op => op.Value.TryGetProperty("requestBody", out _))
            .Select(op => ComponentOf(op.Value.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"))!)
            .Concat(s_openApi.Value.GetProperty("x-portcustoms-batch-files").EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object).Select(p => ComponentOf(p.Value)!))
            .ToList();
        Assert.Equal(7, bodies.Count);
        foreach (var title in bodies)
        {
            var id = s_openApi.Value.GetProperty("components").GetProperty("schemas").GetProperty(title).GetProperty("$id").GetString()!;
            var folder = RepositoryPaths.Combine("schemas", "json", "examples", Path.GetFileName(id)[..^".schema.json".Length]);
            Assert.True(Directory.Exists(folder), $"{title}: no examples in {folder}.");
            Assert.NotEmpty(Directory.GetFiles(folder, "valid-*.json"));
            Assert.NotEmpty(Directory.GetFiles(folder, "invalid-*.json"));
        }
    }

    [Fact]
    public void The_served_document_is_the_one_in_the_repository()
    {
        var result = Assert.IsType<FileContentResult>(OpenApiFunction.Run(new DefaultHttpContext().Request));

        Assert.Equal(File.ReadAllBytes(DocumentPath), result.FileContents);
    }

    private static IEnumerable<string> References(JsonElement node)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in node.EnumerateObject())
                {
                    if (property.Name == "$ref")
                    {
                        yield return property.Value.GetString()!;
                    }
                    else
                    {
                        foreach (var inner in References(property.Value))
                        {
                            yield return inner;
                        }
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in node.EnumerateArray())
                {
                    foreach (var inner in References(item))
                    {
                        yield return inner;
                    }
                }
                break;
        }
    }
}

/// <summary>What the app answers validates against the schemas the document publishes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JsonSchemaResponseTests(AzuriteFixture azurite) : IDisposable
{
    private readonly FunctionApp _app = FunctionApp.Create(azurite);

    public void Dispose() => _app.Dispose();

    private static void AssertValid(string schemaFile, JsonElement body)
    {
        var findings = JsonBodySchema.Get(schemaFile).Validate(body);
        Assert.True(findings.Count == 0, $"{schemaFile}: " + string.Join("; ", findings.Select(f => $"{f.Code} at {f.Location}: {f.Message}")) + "\n" + body.GetRawText());
    }

    [Fact]
    public async Task A_gate_decision_and_a_refused_gate_query_match_their_schemas_and_the_refusal_positions_each_schema_finding()
    {
        var gate = _app.Function<GateQueryFunction>();

        var decision = await FunctionApp.ExecuteAsync(await gate.RunAsync(FunctionApp.Post(FunctionApp.GateQuery()), CancellationToken.None));
        var refused = await FunctionApp.ExecuteAsync(await gate.RunAsync(FunctionApp.Post("""{ "containerNumber": 7, "direction": "SIDEWAYS", "gateTransactionId": "G-1" }"""), CancellationToken.None));

        Assert.Equal(200, decision.Status);
        AssertValid("gate-decision.schema.json", decision.Json);
        Assert.Equal(400, refused.Status);
        AssertValid("problem.schema.json", refused.Json);
        Assert.Equal(["containerNumber", "direction", "terminal"], refused.Json.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["/containerNumber JSON-SCHEMA-TYPE", "/direction JSON-SCHEMA-ENUM", "/terminal JSON-SCHEMA-REQUIRED"],
            refused.Json.GetProperty("schemaErrors").EnumerateArray().Select(e => $"{e.GetProperty("pointer").GetString()} {e.GetProperty("code").GetString()}").Order(StringComparer.Ordinal));
        Assert.Equal(3, refused.Json.GetProperty("schemaErrorCount").GetInt32());
    }

    [Fact]
    public async Task Refused_events_carry_the_schema_findings_of_each_event_by_its_index()
    {
        var events = """
            [ { "eventId": "E-1", "containerNumber": "MSCU1234566", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z" },
              { "eventId": "E-2", "containerNumber": "MSCU1234566", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z", "grossMassKg": -1, "sealNumbers": [7] } ]
            """;

        var refused = await FunctionApp.ExecuteAsync(await _app.Function<PostEventsFunction>().RunAsync(FunctionApp.Post(events), CancellationToken.None));

        Assert.Equal(400, refused.Status);
        AssertValid("problem.schema.json", refused.Json);
        Assert.Equal(["[1].grossMassKg", "[1].sealNumbers[0]"], refused.Json.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["/1/grossMassKg JSON-SCHEMA-MINIMUM", "/1/sealNumbers/0 JSON-SCHEMA-TYPE"],
            refused.Json.GetProperty("schemaErrors").EnumerateArray().Select(e => $"{e.GetProperty("pointer").GetString()} {e.GetProperty("code").GetString()}").Order(StringComparer.Ordinal));
    }
}
