// Service Bus namespace with the ordered status-event queue. Local (SAS) auth is disabled; no geo-replication or
// geo-disaster-recovery pairing is declared (either would copy or point data to another region).

@description('Azure region; the residency-pinned location from main.bicep.')
param location string

param name string

@allowed([
  'Standard'
  'Premium'
])
param skuName string

@description('Messaging units, Premium only.')
@allowed([
  1
  2
  4
  8
  16
])
param premiumMessagingUnits int

param queueName string

@minValue(1)
@maxValue(100)
param maxDeliveryCount int

@description('ISO 8601 duration of the duplicate detection window (PT20S to P7D).')
param duplicateDetectionWindow string

param logAnalyticsWorkspaceId string
param tags object

@description('False when the app reaches the namespace through a private endpoint only (Premium; main.bicep privateNetworking).')
param publicNetworkAccess bool = true

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: skuName == 'Premium'
    ? {
        name: 'Premium'
        tier: 'Premium'
        capacity: premiumMessagingUnits
      }
    : {
        name: 'Standard'
        tier: 'Standard'
      }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
    // Zone redundancy stays inside the region; it only applies to Premium.
    zoneRedundant: skuName == 'Premium'
  }
}

// Ordered per container (SessionId = container number), idempotent on MessageId, dead-lettered after maxDeliveryCount.
resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    requiresSession: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: true
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P14D'
    maxSizeInMegabytes: 1024
    enablePartitioning: false
    enableBatchedOperations: true
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
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

output id string = namespace.id
output name string = namespace.name
output queueId string = queue.id
output queueName string = queue.name
// serviceBusEndpoint is https://<name>.servicebus.<cloud suffix>:443/; the SDK wants the bare host name.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
