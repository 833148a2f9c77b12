// Least-privilege data-plane roles for the app's user-assigned identity, each at the narrowest scope that works.
// Built-in role definition ids (the same in every tenant). No Owner or Contributor anywhere; Storage Blob Data Owner
// only where the Functions documentation requires it: host storage (blob leases, the Durable Functions task hub) and
// the landing account, which a blob trigger's identity-based connection uses.

@description('Name of the app\'s user-assigned identity.')
param identityName string

param hostStorageName string
param landingStorageName string
param serviceBusNamespaceName string
param serviceBusQueueName string
param keyVaultName string
param appInsightsName string

@description('Object ids of people or groups who upload/rotate the customs certificate (Key Vault Certificates Officer).')
param certificateAdministratorPrincipalIds string[]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

var principalId = identity.properties.principalId

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  keyVaultCertificateUser: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba'
  keyVaultCertificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Host storage: the Functions host (blob leases, blob receipts), Durable Functions (queues, tables, blobs).
var hostStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

// Landing storage: the roles the Functions documentation lists for a blob trigger connection (Storage Blob Data Owner,
// and Storage Queue Data Contributor for the trigger's poison queue on the same account); Owner also covers reading,
// moving and writing the files.
var landingStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
]

// Status-event queue: the HTTP endpoint sends, the session processor receives. Scoped to the queue only.
var queueRoles = [
  roles.serviceBusDataSender
  roles.serviceBusDataReceiver
]

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource landingStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: landingStorageName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName

  resource queue 'queues' existing = {
    name: serviceBusQueueName
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource hostStorageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in hostStorageRoles: {
    name: guid(hostStorage.id, identity.id, roleId)
    scope: hostStorage
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource landingStorageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in landingStorageRoles: {
    name: guid(landingStorage.id, identity.id, roleId)
    scope: landingStorage
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource queueAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in queueRoles: {
    name: guid(serviceBus::queue.id, identity.id, roleId)
    scope: serviceBus::queue
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource keyVaultCertificateUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, roles.keyVaultCertificateUser)
  scope: keyVault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCertificateUser)
  }
}

resource monitoringMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource certificateOfficers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for adminId in certificateAdministratorPrincipalIds: {
    name: guid(keyVault.id, adminId, roles.keyVaultCertificatesOfficer)
    scope: keyVault
    properties: {
      principalId: adminId
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCertificatesOfficer)
    }
  }
]
