// Host storage for the Functions runtime (AzureWebJobsStorage: leases, Durable Functions task hub, blob receipts)
// and the Flex Consumption deployment container. Shared keys are off: the host and the deployment use the
// user-assigned identity.

@description('Azure region; the residency-pinned location from main.bicep.')
param location string

param name string

@description('Locally or zone-redundant only: geo-redundant SKUs copy data to the paired region.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName string

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

param logAnalyticsWorkspaceId string
param tags object

@description('Days a refused customs notification cannot be changed or deleted (a container-level WORM policy); 0: no policy.')
@minValue(0)
param refusedNotificationRetentionDays int = 365

@description('False when the app reaches the account through private endpoints only (main.bicep privateNetworking).')
param publicNetworkAccess bool = true

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
    networkAcls: {
      defaultAction: publicNetworkAccess ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: { enabled: true, keyType: 'Account' }
        file: { enabled: true, keyType: 'Account' }
        queue: { enabled: true, keyType: 'Account' }
        table: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Customs notifications refused for their signature, kept for audit exactly as received (docs/signing.md). The app
// also creates it at start (CustomsPlatform:InboundSignatures:Mode = Required); declared here so it exists, private,
// under the account's delete retention, whatever the app's state.
resource refusedNotificationsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'refused-notifications'
  properties: {
    publicAccess: 'None'
  }
}

// Write once: a refused notification is evidence (a forged release, a key that stopped matching), so neither the app
// nor an operator can change or delete it during the retention. The app writes each one once under a fresh name, which
// the policy allows. Left unlocked so a port can shorten it; lock it (az storage container immutability-policy lock)
// where a regulator asks for a policy nobody can remove.
resource refusedNotificationsRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = if (refusedNotificationRetentionDays > 0) {
  parent: refusedNotificationsContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: refusedNotificationRetentionDays
    allowProtectedAppendWrites: false
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
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
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
output deploymentContainerUrl string = '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'
