using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>Storage, Key Vault and monitoring refuse keys and weak transport.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class SecurityTests(CompiledInfra infra)
{
    [Fact]
    public void Storage_accounts_refuse_shared_keys_public_blobs_and_old_tls()
    {
        var accounts = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts").ToList();

        Assert.Equal(2, accounts.Count);
        Assert.All(accounts, a =>
        {
            Assert.False(a.Properties["allowSharedKeyAccess"]!.GetValue<bool>());
            Assert.False(a.Properties["allowBlobPublicAccess"]!.GetValue<bool>());
            Assert.True(a.Properties["supportsHttpsTrafficOnly"]!.GetValue<bool>());
            Assert.True(a.Properties["defaultToOAuthAuthentication"]!.GetValue<bool>());
            Assert.Equal("TLS1_2", a.Properties["minimumTlsVersion"]!.GetValue<string>());
        });
    }

    [Fact]
    public void Containers_are_private()
    {
        var containers = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts/blobServices/containers").ToList();

        Assert.NotEmpty(containers);
        Assert.All(containers, c => Assert.Equal("None", c.Properties["publicAccess"]!.GetValue<string>()));
    }

    [Fact]
    public void Host_storage_keeps_refused_customs_notifications_in_a_private_container_under_delete_retention()
    {
        var refused = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts/blobServices/containers")
            .Single(c => c.Scope.Path == "hostStorage" && c.Node["name"]!.GetValue<string>().Contains("'refused-notifications'", StringComparison.Ordinal));
        Assert.Equal("None", refused.Properties["publicAccess"]!.GetValue<string>());
        var blobService = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts/blobServices").Single(s => s.Scope.Path == "hostStorage");
        Assert.True(blobService.Properties["deleteRetentionPolicy"]!["enabled"]!.GetValue<bool>());
        Assert.True(blobService.Properties["containerDeleteRetentionPolicy"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Refused_customs_notifications_are_write_once_for_the_retention_the_port_chooses()
    {
        var policy = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies").Single(p => p.Scope.Path == "hostStorage");
        Assert.Contains("'refused-notifications'", policy.Node["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(Arm.IsRootParameter(policy.Scope, policy.Properties["immutabilityPeriodSinceCreationInDays"], "refusedNotificationRetentionDays"));
        Assert.Equal(365, infra.Main.Parameters["refusedNotificationRetentionDays"]!["defaultValue"]!.GetValue<int>());
        Assert.False(policy.Properties["allowProtectedAppendWrites"]!.GetValue<bool>());
        // Only the refused notifications: the host's other containers (leases, task hub, deployment) are rewritten.
        Assert.Single(Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
    }

    [Fact]
    public void Key_vault_uses_rbac_with_purge_protection_and_soft_delete()
    {
        var vault = Arm.OfType(infra.Main, "Microsoft.KeyVault/vaults").Single();
        var p = vault.Properties;

        Assert.True(p["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(p["enablePurgeProtection"]!.GetValue<bool>());
        Assert.True(p["enableSoftDelete"]!.GetValue<bool>());
        Assert.Null(p["accessPolicies"]);
        Assert.True(Arm.IsRootParameter(vault.Scope, p["softDeleteRetentionInDays"], "keyVaultSoftDeleteRetentionDays"));
        Assert.Equal(90, infra.Main.Parameters["keyVaultSoftDeleteRetentionDays"]!["defaultValue"]!.GetValue<int>());
        Assert.True(infra.Main.Parameters["keyVaultSoftDeleteRetentionDays"]!["minValue"]!.GetValue<int>() >= 7);
    }

    [Fact]
    public void Application_insights_and_log_analytics_disable_local_auth()
    {
        var appInsights = Arm.OfType(infra.Main, "Microsoft.Insights/components").Single();
        var workspace = Arm.OfType(infra.Main, "Microsoft.OperationalInsights/workspaces").Single();

        Assert.True(appInsights.Properties["DisableLocalAuth"]!.GetValue<bool>());
        Assert.True(workspace.Properties["features"]!["disableLocalAuth"]!.GetValue<bool>());
    }

    [Fact]
    public void No_secure_value_has_a_default_and_no_secret_is_output()
    {
        foreach (var scope in Arm.AllScopes(infra.Main).Append(infra.Policy))
        {
            foreach (var (name, parameter) in scope.Parameters)
            {
                var type = parameter!["type"]!.GetValue<string>();
                if (type is "securestring" or "secureObject")
                {
                    Assert.True(parameter["defaultValue"] is null, $"{scope.Path}:{name}");
                }
            }
        }
    }
}
