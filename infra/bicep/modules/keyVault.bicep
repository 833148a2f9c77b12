// Key Vault for the customs client certificate (outbound mTLS). RBAC only (no access policies), purge protection on.
// The operator uploads or creates the certificate (docs/deploy.md); the app reads it by name through CertificateClient.

@description('Azure region; the residency-pinned location from main.bicep.')
param location string

param name string

@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

param logAnalyticsWorkspaceId string
param tags object

@description('True when the app reaches the vault through a private endpoint (main.bicep privateNetworking).')
param privateOnly bool = false

@description('With privateOnly: public IP ranges (CIDR) of the operators who upload and rotate the certificate. Empty: public network access off.')
param operatorIpRanges string[] = []

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    // Private: off, unless operators need to reach it from named addresses (then only those).
    publicNetworkAccess: privateOnly && empty(operatorIpRanges) ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateOnly ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
      ipRules: privateOnly ? map(operatorIpRanges, range => { value: range }) : []
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
