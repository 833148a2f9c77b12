using System.Text.RegularExpressions;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>Least-privilege role assignments for the app's user-assigned identity, by built-in role id.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class RbacTests(CompiledInfra infra)
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string KeyVaultCertificateUser = "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba";
    private const string KeyVaultCertificatesOfficer = "a4417e6f-fecd-4de8-b567-7b0420556985";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    // Broad roles that must never be granted by this template.
    private static readonly Dictionary<string, string> ForbiddenRoles = new()
    {
        ["Owner"] = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        ["Contributor"] = "b24988ac-6180-42a0-ab88-20f7382dd24d",
        ["User Access Administrator"] = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        ["Azure Service Bus Data Owner"] = "090c5cfd-751d-490a-894a-3ce6f1109419",
        ["Key Vault Administrator"] = "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        ["Storage Account Contributor"] = "17d1049b-9a84-46fb-8f53-869881c3d3ab",
    };

    [GeneratedRegex(@"variables\('(?<var>\w+)'\)\[copyIndex\(\)\]")]
    private static partial Regex CopiedRoleList();

    [GeneratedRegex(@"variables\('roles'\)\.(?<role>\w+)")]
    private static partial Regex NamedRole();

    private TemplateScope Rbac => Arm.Module(infra.Main, "rbac");

    [Fact]
    public void Host_storage_gets_blob_owner_queue_and_table_contributor()
    {
        Assert.Equal(
            new HashSet<string> { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor },
            AppRolesAt("'Microsoft.Storage/storageAccounts', parameters('hostStorageName')"));
    }

    [Fact]
    public void Landing_storage_gets_the_roles_the_Functions_docs_list_for_a_blob_trigger_connection()
    {
        // Functions identity-based connections: a blob trigger needs Storage Blob Data Owner (and Queue Data
        // Contributor for its poison queue on the same account).
        Assert.Equal(
            new HashSet<string> { StorageBlobDataOwner, StorageQueueDataContributor },
            AppRolesAt("'Microsoft.Storage/storageAccounts', parameters('landingStorageName')"));
    }

    [Fact]
    public void Status_event_queue_gets_sender_and_receiver_at_queue_scope()
    {
        Assert.Equal(
            new HashSet<string> { ServiceBusDataSender, ServiceBusDataReceiver },
            AppRolesAt("'Microsoft.ServiceBus/namespaces/queues', parameters('serviceBusNamespaceName'), parameters('serviceBusQueueName')"));
    }

    [Fact]
    public void Key_vault_gets_certificate_user_only()
    {
        Assert.Equal(new HashSet<string> { KeyVaultCertificateUser }, AppRolesAt("'Microsoft.KeyVault/vaults', parameters('keyVaultName')"));
    }

    [Fact]
    public void Application_insights_gets_monitoring_metrics_publisher()
    {
        Assert.Equal(new HashSet<string> { MonitoringMetricsPublisher }, AppRolesAt("'Microsoft.Insights/components', parameters('appInsightsName')"));
    }

    [Fact]
    public void Certificate_officers_are_optional_people_or_groups_at_vault_scope()
    {
        var officers = Assignments().Where(a => a.Roles.Contains(KeyVaultCertificatesOfficer)).ToList();

        var officer = Assert.Single(officers);
        Assert.Contains("'Microsoft.KeyVault/vaults'", officer.Scope, StringComparison.Ordinal);
        Assert.Equal("[length(parameters('certificateAdministratorPrincipalIds'))]", officer.Resource.Node["copy"]!["count"]!.GetValue<string>());
        Assert.True(Arm.IsRootParameter(Rbac, System.Text.Json.Nodes.JsonValue.Create("[parameters('certificateAdministratorPrincipalIds')]"), "certificateAdministratorPrincipalIds"));
    }

    [Fact]
    public void App_assignments_go_to_the_user_assigned_identity_as_a_service_principal()
    {
        var app = Assignments().Where(a => !a.Roles.Contains(KeyVaultCertificatesOfficer)).ToList();

        // 3 host storage + 2 landing storage + 2 queue + 1 vault + 1 App Insights.
        Assert.Equal(9, app.Sum(a => a.Roles.Count));
        Assert.All(app, a =>
        {
            Assert.Equal("[reference('identity').principalId]", a.Resource.Properties["principalId"]!.GetValue<string>());
            Assert.Equal("ServicePrincipal", a.Resource.Properties["principalType"]!.GetValue<string>());
        });
        var identity = Rbac.Resources.Single(r => r.Symbol == "identity").Resource;
        Assert.Equal("Microsoft.ManagedIdentity/userAssignedIdentities", identity["type"]!.GetValue<string>());
        Assert.Equal("[variables('names').identity]", Rbac.ParameterBinding("identityName")!.GetValue<string>());
    }

    [Fact]
    public void Role_definitions_are_built_in_ids_at_subscription_scope()
    {
        var all = Arm.OfType(infra.Main, "Microsoft.Authorization/roleAssignments").ToList();

        Assert.NotEmpty(all);
        Assert.All(all, a => Assert.StartsWith(
            "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ",
            a.Properties["roleDefinitionId"]!.GetValue<string>(),
            StringComparison.Ordinal));
    }

    [Fact]
    public void No_broad_role_is_granted_anywhere()
    {
        var text = infra.MainJson.ToJsonString() + infra.PolicyJson.ToJsonString();

        foreach (var (name, id) in ForbiddenRoles)
        {
            Assert.False(text.Contains(id, StringComparison.OrdinalIgnoreCase), $"{name} ({id}) is granted");
        }
    }

    [Fact]
    public void Event_grid_dead_letter_writer_is_scoped_to_its_container()
    {
        var writer = Arm.OfType(infra.Main, "Microsoft.Authorization/roleAssignments").Single(a => a.Scope.Path == "blobEvents");

        Assert.Contains("'Microsoft.Storage/storageAccounts/blobServices/containers'", writer.Node["scope"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("variables('storageBlobDataContributor')", writer.Properties["roleDefinitionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(StorageBlobDataContributor, writer.Scope.Variables["storageBlobDataContributor"]!.GetValue<string>());
    }

    private HashSet<string> AppRolesAt(string scopeFragment) =>
        Assignments()
            .Where(a => a.Scope.Contains(scopeFragment, StringComparison.Ordinal) && !a.Roles.Contains(KeyVaultCertificatesOfficer))
            .SelectMany(a => a.Roles)
            .ToHashSet();

    private IEnumerable<(ArmResource Resource, string Scope, List<string> Roles)> Assignments()
    {
        var roles = Rbac.Variables["roles"]!.AsObject();
        foreach (var assignment in Arm.OfType(infra.Main, "Microsoft.Authorization/roleAssignments").Where(a => a.Scope == Rbac || a.Scope.Path == "rbac"))
        {
            var expression = assignment.Properties["roleDefinitionId"]!.GetValue<string>();
            var copied = CopiedRoleList().Match(expression);
            var names = copied.Success
                ? Rbac.Variables[copied.Groups["var"].Value]!.AsArray().Select(e => NamedRole().Match(e!.GetValue<string>()).Groups["role"].Value)
                : [NamedRole().Match(expression).Groups["role"].Value];
            var ids = names.Select(n => roles[n]!.GetValue<string>()).ToList();
            yield return (assignment, assignment.Node["scope"]!.GetValue<string>(), ids);
        }
    }
}
