// The SFTP landing account, separate from host storage: brokers upload into inbound/<broker>; the app moves each file
// to processed/ or quarantine/ and writes CONTRL acknowledgements to outbound/. Hierarchical namespace + SFTP, one
// local user per broker (SSH keys only), shared keys off.

import { broker } from 'types.bicep'

@description('Azure region; the residency-pinned location from main.bicep.')
param location string

param name string

@description('Locally or zone-redundant only: geo-redundant SKUs copy data to the paired region.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName string

@description('Brokers allowed to upload; one SFTP local user each.')
param brokers broker[]

@description('Public IP ranges (CIDR) allowed to reach the account. Empty: any. Non-empty also blocks the function app unless it is VNet-integrated.')
param allowedIpRanges string[]

@description('Container that receives Event Grid deliveries that could not be delivered to the blob trigger.')
param deadLetterContainerName string

@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

param logAnalyticsWorkspaceId string
param tags object

var containerNames = [
  'inbound'
  'processed'
  'quarantine'
  'outbound'
  deadLetterContainerName
]

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
    isHnsEnabled: true
    isSftpEnabled: true
    isLocalUserEnabled: true
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: empty(allowedIpRanges) ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
      ipRules: [
        for range in allowedIpRanges: {
          value: range
          action: 'Allow'
        }
      ]
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
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

// One local user per broker. Container permission scopes apply to every folder of a container, so they grant only
// listing (SFTP needs one scope to connect); writing into inbound/<broker> and reading outbound/<broker> come from
// ACLs that name the local user's id, which the app sets at start (LandingFolderAccess) from the ids output below.
resource localUsers 'Microsoft.Storage/storageAccounts/localUsers@2023-05-01' = [
  for b in brokers: {
    parent: storage
    name: b.name
    properties: {
      homeDirectory: 'inbound/${b.name}'
      allowAclAuthorization: true
      hasSshKey: true
      hasSshPassword: false
      hasSharedKey: false
      // No copyIndex() inside the lambda: only the key itself is used there.
      sshAuthorizedKeys: map(b.sshPublicKeys, key => {
        description: 'broker-ssh-key'
        key: key
      })
      permissionScopes: concat(
        [
          {
            service: 'blob'
            resourceName: 'inbound'
            permissions: b.?inboundPermissions ?? 'l'
          }
        ],
        (b.?readAcknowledgements ?? false)
          ? [
              {
                service: 'blob'
                resourceName: 'outbound'
                permissions: 'l'
              }
            ]
          : []
      )
    }
    dependsOn: [
      containers
    ]
  }
]

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

@description('Each broker\'s SFTP local user id (assigned by Azure): the app\'s ACLs and uploader check name it.')
output sftpUsers array = [
  for (b, i) in brokers: {
    broker: b.name
    userId: localUsers[i].properties.userId
  }
]

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output dfsEndpoint string = storage.properties.primaryEndpoints.dfs
