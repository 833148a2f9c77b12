// PortCustoms: one resource group per environment. Every resource takes the single residency-pinned `location`.
// Deploy with: az deployment group create -g <rg> -f infra/bicep/main.bicep -p infra/bicep/<env>.bicepparam
// (see docs/deploy.md). The subscription-wide "Allowed locations" policy is a separate deployment: policy.bicep.

targetScope = 'resourceGroup'

import { broker } from 'modules/types.bicep'

metadata description = 'PortCustoms port-to-customs integration: Flex Consumption function app and its dependencies.'

@description('Region for every resource. Approved EU regions only (data residency); there is no default on purpose. Check Flex Consumption availability with: az functionapp list-flexconsumption-locations.')
@allowed([
  'westeurope'
  'northeurope'
  'germanywestcentral'
  'francecentral'
  'swedencentral'
  'italynorth'
  'polandcentral'
  'spaincentral'
])
param location string

@description('Regions the app may process customs data in (Residency__AllowedRegions). The deployment region is always included.')
@allowed([
  'westeurope'
  'northeurope'
  'germanywestcentral'
  'francecentral'
  'swedencentral'
  'italynorth'
  'polandcentral'
  'spaincentral'
])
param residencyAllowedRegions string[] = []

@description('Deployment environment.')
@allowed([
  'dev'
  'prod'
])
param environmentName string

@description('Short name used in resource names (lowercase letters, digits, hyphens).')
@minLength(3)
@maxLength(16)
param appName string = 'portcustoms'

@description('Storage redundancy for both accounts. Never geo-redundant: GRS/RA-GRS/GZRS copy data to the paired region.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param storageSku string = 'Standard_ZRS'

@description('Service Bus tier. Premium adds isolation and zone redundancy; neither tier is geo-replicated here.')
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'

@description('Messaging units when serviceBusSku is Premium.')
@allowed([
  1
  2
  4
  8
  16
])
param serviceBusPremiumMessagingUnits int = 1

@description('Deliveries of a status event before it is dead-lettered with a reason.')
@minValue(1)
@maxValue(100)
param statusEventMaxDeliveryCount int = 10

@description('Duplicate detection window of the status-event queue (ISO 8601).')
param statusEventDuplicateDetectionWindow string = 'PT10M'

@description('Name of the customs client certificate in Key Vault (uploaded or created by the operator).')
@minLength(1)
@maxLength(127)
param customsCertificateName string = 'customs-client'

@description('Key Vault soft-delete retention in days (purge protection is always on).')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionDays int = 90

@description('Object ids allowed to upload and rotate the customs certificate (Key Vault Certificates Officer).')
param certificateAdministratorPrincipalIds string[] = []

@description('Brokers that upload batch files over SFTP: one local user each, home directory inbound/<name>.')
param brokers broker[] = []

@description('Public IP ranges (CIDR) allowed to reach the landing account over SFTP. Empty: any (SSH keys still required).')
param sftpAllowedIpRanges string[] = []

@description('Landing account soft-delete retention in days (accidental deletes of broker files).')
@minValue(1)
@maxValue(365)
param landingSoftDeleteRetentionDays int = 30

@description('Private networking: the app joins a VNet, and host storage, the landing account, Service Bus (Premium only: Standard has no private endpoints) and Key Vault are reached through private endpoints, with public network access off on host storage, Service Bus and Key Vault. The landing account stays reachable for SFTP, limited by sftpAllowedIpRanges. On for prod.')
param privateNetworking bool = false

@description('Address space of the VNet when privateNetworking is on (a /24 is enough: app /26, endpoints /27).')
param vnetAddressPrefix string = '10.40.0.0/24'

@description('With privateNetworking: public IP ranges (CIDR) of the operators who upload and rotate the customs certificate in Key Vault. Empty: Key Vault has no public access (use a machine inside the VNet).')
param keyVaultOperatorIpRanges string[] = []

@description('Always-ready instances of the http group (gate latency, status-event processor). At least 1.')
@minValue(1)
@maxValue(10)
param alwaysReadyHttpInstances int = 1

@description('Memory per Flex Consumption instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Scale-out limit of the function app.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('How the platform forwards inbound client certificates (X-ARR-ClientCert); the app validates them. Never Required: Event Grid\'s webhook calls and the health probe carry no certificate.')
@allowed([
  'Optional'
  'OptionalInteractiveUser'
])
param clientCertMode string = 'Optional'

@description('Create the Event Grid subscription for the blob trigger. False on the very first deployment (the app has no code yet); see docs/deploy.md.')
param deployBlobEventSubscription bool = true

@description('Log Analytics and Application Insights retention in days.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Extra non-secret app settings, e.g. the customs platform profile and endpoint.')
param extraAppSettings object = {}

@description('Resource id of the action group that the alert rules notify (the port\'s operations desk). Empty: alerts show in Azure Monitor only.')
param alertActionGroupId string = ''

@description('Days before expiry that the customs client certificate alert fires and health turns degraded.')
@minValue(1)
@maxValue(180)
param certificateExpiryWarningDays int = 30

@description('Tags for every resource.')
param tags object = {}

@description('Client (application) id of the API\'s Entra app registration (docs/deploy.md: app roles terminal, customs, operator). Empty: App Service authentication stays off, so only client certificates identify callers and every role-bound route that needs a token answers 401.')
param entraClientId string = ''

@description('Entra tenant of the app registration.')
param entraTenantId string = tenant().tenantId

@description('Audiences accepted in callers\' access tokens; empty: api://<entraClientId>.')
param entraAllowedAudiences string[] = []

@description('SHA-1 (as Azure shows them) or SHA-256 thumbprints of the customs platform\'s client certificates. Non-empty (or customsCallerTrustedRoots): CallerCertificates:Required, so only customs\' certificate gives the customs role and a terminal\'s function key cannot post a release.')
param customsCallerCertificateThumbprints string[] = []

@description('The customs authority\'s CA certificates (PEM or base64 DER), for chain validation of its client certificates.')
param customsCallerTrustedRoots string[] = []

@description('The customs authority\'s notification-signing certificates (PEM, public part). Non-empty (or customsSigningThumbprints): CustomsPlatform:InboundSignatures:Mode = Required, so every notification must carry the authority\'s signature (JWS, XML-DSig or AUTACK; docs/signing.md) and an unsigned release is refused and kept for audit.')
param customsSigningCertificates string[] = []

@description('Thumbprint pins (SHA-1 or SHA-256, hex) of the authority\'s signing certificates: only these sign.')
param customsSigningThumbprints string[] = []

@description('Days a notification refused for its signature stays write-once in refused-notifications (container WORM policy, unlocked); 0: none.')
@minValue(0)
param refusedNotificationRetentionDays int = 365

@description('Gate queries one caller (terminal identity, or client address) may make per minute; over it: 429 with Retry-After, never a slower gate for the others.')
@minValue(1)
param gateQueriesPerCallerPerMinute int = 600

var token = take(uniqueString(subscription().id, resourceGroup().id, appName, environmentName), 8)
var compactName = take(replace(appName, '-', ''), 6)
var allTags = union(tags, {
  application: 'portcustoms'
  environment: environmentName
  'data-residency': location
})

var names = {
  identity: 'id-${appName}-${environmentName}'
  logAnalytics: 'log-${appName}-${environmentName}-${token}'
  appInsights: 'appi-${appName}-${environmentName}-${token}'
  hostStorage: 'st${compactName}${environmentName}${token}h'
  landingStorage: 'st${compactName}${environmentName}${token}l'
  serviceBus: 'sb-${appName}-${environmentName}-${token}'
  keyVault: 'kv-${compactName}-${environmentName}-${token}'
  plan: 'asp-${appName}-${environmentName}-${token}'
  functionApp: 'func-${appName}-${environmentName}-${token}'
  systemTopic: 'evgt-${appName}-${environmentName}-landing'
  deploymentContainer: 'app-package-${environmentName}'
  vnet: 'vnet-${appName}-${environmentName}'
}

var statusEventQueueName = 'container-status-events'
var blobTriggerFunctionName = 'BatchDropTrigger'
var gateFunctionName = 'GateQuery'
var deadLetterContainerName = 'eventgrid-deadletter'
var allowedRegions = union([location], residencyAllowedRegions)
var serviceBusPrivate = privateNetworking && serviceBusSku == 'Premium'
var storageType = 'Microsoft.Storage/storageAccounts'
var privateEndpoints = concat(
  [
    { name: 'pe-${names.hostStorage}-blob', resourceType: storageType, resourceName: names.hostStorage, groupId: 'blob' }
    { name: 'pe-${names.hostStorage}-queue', resourceType: storageType, resourceName: names.hostStorage, groupId: 'queue' }
    { name: 'pe-${names.hostStorage}-table', resourceType: storageType, resourceName: names.hostStorage, groupId: 'table' }
    { name: 'pe-${names.landingStorage}-blob', resourceType: storageType, resourceName: names.landingStorage, groupId: 'blob' }
    { name: 'pe-${names.landingStorage}-queue', resourceType: storageType, resourceName: names.landingStorage, groupId: 'queue' }
    { name: 'pe-${names.landingStorage}-dfs', resourceType: storageType, resourceName: names.landingStorage, groupId: 'dfs' }
    { name: 'pe-${names.keyVault}-vault', resourceType: 'Microsoft.KeyVault/vaults', resourceName: names.keyVault, groupId: 'vault' }
  ],
  serviceBusPrivate
    ? [{ name: 'pe-${names.serviceBus}-namespace', resourceType: 'Microsoft.ServiceBus/namespaces', resourceName: names.serviceBus, groupId: 'namespace' }]
    : []
)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    name: names.identity
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    retentionInDays: logRetentionDays
    tags: allTags
  }
}

module hostStorage 'modules/hostStorage.bicep' = {
  name: 'hostStorage'
  params: {
    location: location
    name: names.hostStorage
    skuName: storageSku
    deploymentContainerName: names.deploymentContainer
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    publicNetworkAccess: !privateNetworking
    refusedNotificationRetentionDays: refusedNotificationRetentionDays
    tags: allTags
  }
}

module landingStorage 'modules/landingStorage.bicep' = {
  name: 'landingStorage'
  params: {
    location: location
    name: names.landingStorage
    skuName: storageSku
    brokers: brokers
    allowedIpRanges: sftpAllowedIpRanges
    deadLetterContainerName: deadLetterContainerName
    softDeleteRetentionDays: landingSoftDeleteRetentionDays
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module serviceBus 'modules/serviceBus.bicep' = {
  name: 'serviceBus'
  params: {
    location: location
    name: names.serviceBus
    skuName: serviceBusSku
    premiumMessagingUnits: serviceBusPremiumMessagingUnits
    queueName: statusEventQueueName
    maxDeliveryCount: statusEventMaxDeliveryCount
    duplicateDetectionWindow: statusEventDuplicateDetectionWindow
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    publicNetworkAccess: !serviceBusPrivate
    tags: allTags
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    location: location
    name: names.keyVault
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionDays
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    privateOnly: privateNetworking
    operatorIpRanges: keyVaultOperatorIpRanges
    tags: allTags
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    location: location
    vnetName: names.vnet
    addressPrefix: vnetAddressPrefix
    endpoints: privateEndpoints
    tags: allTags
  }
  dependsOn: [
    hostStorage
    landingStorage
    serviceBus
    keyVault
  ]
}

// Roles first: the Flex deployment container and the host storage are reached with the identity from the first start.
module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    identityName: names.identity
    hostStorageName: names.hostStorage
    landingStorageName: names.landingStorage
    serviceBusNamespaceName: names.serviceBus
    serviceBusQueueName: statusEventQueueName
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    certificateAdministratorPrincipalIds: certificateAdministratorPrincipalIds
  }
  dependsOn: [
    identity
    hostStorage
    landingStorage
    serviceBus
    keyVault
    monitoring
  ]
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    planName: names.plan
    appName: names.functionApp
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    deploymentContainerUrl: hostStorage.outputs.deploymentContainerUrl
    hostBlobEndpoint: hostStorage.outputs.blobEndpoint
    hostQueueEndpoint: hostStorage.outputs.queueEndpoint
    hostTableEndpoint: hostStorage.outputs.tableEndpoint
    landingBlobEndpoint: landingStorage.outputs.blobEndpoint
    landingQueueEndpoint: landingStorage.outputs.queueEndpoint
    landingDfsEndpoint: landingStorage.outputs.dfsEndpoint
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusQueueName: serviceBus.outputs.queueName
    keyVaultUri: keyVault.outputs.uri
    customsCertificateName: customsCertificateName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    residencyRegion: location
    residencyAllowedRegions: allowedRegions
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    clientCertMode: clientCertMode
    extraAppSettings: extraAppSettings
    certificateExpiryWarningDays: certificateExpiryWarningDays
    entraClientId: entraClientId
    entraTenantId: entraTenantId
    entraAllowedAudiences: entraAllowedAudiences
    gateQueriesPerCallerPerMinute: gateQueriesPerCallerPerMinute
    customsCallerCertificateThumbprints: customsCallerCertificateThumbprints
    customsCallerTrustedRoots: customsCallerTrustedRoots
    customsSigningCertificates: customsSigningCertificates
    customsSigningThumbprints: customsSigningThumbprints
    brokerSftpUsers: landingStorage.outputs.sftpUsers
    virtualNetworkSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
    tags: union(allTags, {
      'azd-service-name': 'api'
    })
  }
  dependsOn: [
    rbac
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    namePrefix: '${appName}-${environmentName}'
    workspaceId: monitoring.outputs.workspaceId
    appInsightsId: monitoring.outputs.appInsightsId
    serviceBusNamespaceId: serviceBus.outputs.id
    statusEventQueueName: statusEventQueueName
    actionGroupId: alertActionGroupId
    gateFunctionName: gateFunctionName
    certificateExpiryWarningDays: certificateExpiryWarningDays
    tags: allTags
  }
}

module blobEvents 'modules/blobEvents.bicep' = {
  name: 'blobEvents'
  params: {
    location: location
    systemTopicName: names.systemTopic
    landingStorageName: names.landingStorage
    deadLetterContainerName: deadLetterContainerName
    functionAppName: names.functionApp
    functionName: blobTriggerFunctionName
    deploySubscription: deployBlobEventSubscription
    maxDeliveryAttempts: 30
    tags: allTags
  }
  dependsOn: [
    landingStorage
    functionApp
  ]
}

output AZURE_LOCATION string = location
output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output healthUrl string = 'https://${functionApp.outputs.defaultHostName}/api/v1/health'
output managedIdentityClientId string = identity.outputs.clientId
output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVault.outputs.uri
output customsCertificateName string = customsCertificateName
output landingStorageAccountName string = landingStorage.outputs.name
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output statusEventQueueName string = serviceBus.outputs.queueName
output blobEventSubscriptionDeployed bool = blobEvents.outputs.subscriptionDeployed
