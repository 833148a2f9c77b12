using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PortCustoms.Functions.Containers;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Tests.Http;

/// <summary>
/// The projection's policy, without a request: every route declares what it answers, every field of every answer has a
/// visibility decision, and a field nobody decided is hidden from every role (fail closed) and named by the check.
/// </summary>
public sealed class ResponseProjectionPolicyTests
{
    private const ResponseAudience Everyone = ResponseAudience.Terminal | ResponseAudience.Customs | ResponseAudience.Operator;

    /// <summary>Every HTTP function (by its [CallerRoles]/[AnyCaller]) with its method and what it declares it answers.</summary>
    internal static IReadOnlyList<(RouteAccess Access, MethodInfo Method, IReadOnlyList<ProducesResponseTypeAttribute> Answers)> Routes() =>
        typeof(PortCustomsApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is { } f && RouteAccess.For(f.Name) is not null)
            .Select(m => (RouteAccess.For(m.GetCustomAttribute<FunctionAttribute>()!.Name)!, m, (IReadOnlyList<ProducesResponseTypeAttribute>)m.GetCustomAttributes<ProducesResponseTypeAttribute>().ToList()))
            .ToList();

    [Fact]
    public void Every_route_declares_what_it_answers()
    {
        var routes = Routes();
        Assert.Equal(RouteAccess.Declared.Count, routes.Count);
        Assert.All(routes, r => Assert.True(r.Answers.Count > 0, $"{r.Access.FunctionName} declares no [ProducesResponseType]: say what it answers, so its fields get a visibility decision."));
    }

    [Fact]
    public void Every_field_of_every_answer_has_a_visibility_decision()
    {
        var undecided = Routes()
            .SelectMany(r => r.Answers.Where(a => a.Type is not null && a.Type != typeof(void)).SelectMany(a => ResponseProjection.Fields(a.Type!)))
            .Where(f => f.VisibleTo is null)
            .Select(f => $"{f.DeclaringType.Name}.{f.Property?.Name ?? f.JsonName}")
            .Distinct()
            .ToList();
        Assert.True(undecided.Count == 0, "Give these a [VisibleTo] decision (hidden from every role until then): " + string.Join(", ", undecided));
    }

    [Fact]
    public void Every_field_of_an_answer_is_visible_to_a_role_the_route_admits()
    {
        foreach (var (access, _, answers) in Routes())
        {
            var admitted = access.Anonymous ? ResponseAudience.None : ResponseProjection.AudienceOf(access.Roles!);
            foreach (var field in answers.Where(a => a.Type is not null && a.Type != typeof(void)).SelectMany(a => ResponseProjection.Fields(a.Type!)))
            {
                Assert.True(field.IsVisibleTo(admitted), $"{access.FunctionName}: {field.DeclaringType.Name}.{field.JsonName} is visible to no role the route admits.");
            }
        }
    }

    [Fact]
    public void A_field_without_a_decision_is_named_by_the_check_and_hidden_from_every_role()
    {
        var fields = ResponseProjection.Fields(typeof(Undecided));
        Assert.Equal(["secret"], fields.Where(f => f.VisibleTo is null).Select(f => f.JsonName));

        var json = JsonSerializer.Serialize(new Undecided("shown", "SENTINEL-undecided"), ResponseProjection.OptionsFor(Everyone));
        Assert.Equal("""{"shown":"shown"}""", json);
    }

    [Theory]
    [InlineData(ResponseAudience.Terminal, false)]
    [InlineData(ResponseAudience.Customs, true)]
    [InlineData(ResponseAudience.Operator, true)]
    [InlineData(ResponseAudience.Terminal | ResponseAudience.Operator, true)]
    [InlineData(ResponseAudience.None, false)]
    public void Intelligence_in_the_container_history_is_for_customs_and_operators_and_several_roles_get_the_union(ResponseAudience audience, bool sees)
    {
        var entry = new CustomsHistoryEntryView("N-1", "HOLD", "24NL1", "2026-11-26T07:00:00.000Z", "2026-11-26T07:00:01.000Z", true)
        {
            Reason = "SENTINEL-reason", RiskScore = 0.97, TargetingReason = "SENTINEL-targeting", OfficerNotes = "SENTINEL-officer",
        };

        var json = JsonSerializer.SerializeToElement(entry, ResponseProjection.OptionsFor(audience));

        var names = json.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var intelligence in new[] { "reason", "riskScore", "targetingReason", "officerNotes" })
        {
            Assert.Equal(sees, names.Contains(intelligence));
        }
        Assert.Equal(audience != ResponseAudience.None, names.Contains("notificationId"));
    }

    [Fact]
    public void Roles_map_to_an_audience_unknown_ones_add_nothing_and_roles_off_takes_the_least_privileged()
    {
        Assert.Equal(ResponseAudience.Terminal | ResponseAudience.Operator, ResponseProjection.AudienceOf(["Terminal", "operator", "broker", "admin"]));
        Assert.Equal(ResponseAudience.None, ResponseProjection.AudienceOf([]));
        Assert.Equal(ResponseAudience.Terminal, ResponseProjection.LeastPrivileged([CallerRole.Operator, CallerRole.Customs, CallerRole.Terminal]));
        Assert.Equal(ResponseAudience.Customs, ResponseProjection.LeastPrivileged([CallerRole.Operator, CallerRole.Customs]));
    }

    [Fact]
    public async Task A_request_nobody_set_an_audience_for_gets_public_fields_only()
    {
        var result = await Fixtures.FunctionApp.ExecuteAsync(new OkObjectResult(new Undecided("a", "b")), ResponseAudience.None);
        Assert.Equal("{}", result.Body);
        var health = await Fixtures.FunctionApp.ExecuteAsync(new OkObjectResult(new Operations.HealthFunction.HealthResponse("Healthy", new Dictionary<string, Operations.HealthFunction.DependencyHealth>())), ResponseAudience.None);
        Assert.Equal("""{"status":"Healthy","dependencies":{}}""", health.Body);
    }

    [Fact]
    public void The_OpenAPI_document_marks_every_field_narrower_than_its_route_with_the_roles_that_see_it()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(PortCustoms.TestSupport.RepositoryPaths.Combine("docs", "openapi.json")));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject())
            .ToDictionary(o => o.Value.GetProperty("operationId").GetString()!, o => o.Value, StringComparer.Ordinal);
        var checkedFields = 0;
        foreach (var (access, _, answers) in Routes())
        {
            var operation = operations[access.FunctionName];
            var roles = access.Anonymous ? [] : access.Roles!.Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(roles, operation.GetProperty("x-portcustoms-roles").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal));
            foreach (var answer in answers.Where(a => a.Type is not null && a.Type != typeof(void)))
            {
                if (operation.GetProperty("responses").TryGetProperty(answer.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response)
                    && response.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json))
                {
                    checkedFields += CompareSchema(document.RootElement, json.GetProperty("schema"), answer.Type!, roles, access.FunctionName);
                }
            }
        }
        Assert.True(checkedFields > 0);
    }

    /// <summary>Walks the schema beside the type: a field the policy narrows below the route's roles carries exactly those roles.</summary>
    private static int CompareSchema(JsonElement root, JsonElement schema, Type type, string[] routeRoles, string at)
    {
        schema = Resolve(root, schema);
        if (schema.TryGetProperty("oneOf", out _) || schema.TryGetProperty("anyOf", out _))
        {
            return 0;
        }
        var count = 0;
        var fields = ResponseProjection.Fields(type).Where(f => f.DeclaringType == (Nullable.GetUnderlyingType(type) ?? type)).ToDictionary(f => f.JsonName, StringComparer.Ordinal);
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (!fields.TryGetValue(property.Name, out var field))
                {
                    continue;
                }
                count++;
                var sees = routeRoles.Length == 0 ? [] : routeRoles.Where(r => ResponseProjection.Admits(field.VisibleTo, ResponseProjection.AudienceOf([r]))).ToArray();
                var documented = Resolve(root, property.Value).TryGetProperty("x-portcustoms-visible-to", out var marked) ? marked.EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal).ToArray() : routeRoles;
                Assert.True(sees.SequenceEqual(documented), $"{at}: {property.Name} is for [{string.Join(',', sees)}], the document says [{string.Join(',', documented)}].");
                count += CompareSchema(root, property.Value, Element(field.PropertyType), routeRoles, at + "." + property.Name);
            }
        }
        if (schema.TryGetProperty("items", out var items))
        {
            count += CompareSchema(root, items, Element(type), routeRoles, at + "[]");
        }
        return count;
    }

    private static Type Element(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsArray ? type.GetElementType()!
            : type != typeof(string) && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable ? enumerable.GetGenericArguments()[0]
            : type;
    }

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = root.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    private sealed record Undecided([property: VisibleTo(CallerRole.Terminal, CallerRole.Customs, CallerRole.Operator)] string Shown, string Secret);
}
