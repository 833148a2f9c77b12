// Flex Consumption plan and the function app (.NET 10 isolated worker). The app runs as the user-assigned identity;
// every connection is identity-based, so no app setting carries a key, SAS or connection string.
// Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and WEBSITE_RUN_FROM_PACKAGE:
// the runtime is set in functionAppConfig and the package comes from the deployment container.

@description('Azure region; the residency-pinned location from main.bicep.')
param location string

param planName string
param appName string

param identityId string
param identityClientId string

@description('Blob container URL of the deployment package (host storage).')
param deploymentContainerUrl string

param hostBlobEndpoint string
param hostQueueEndpoint string
param hostTableEndpoint string

param landingBlobEndpoint string
param landingQueueEndpoint string
param landingDfsEndpoint string

param serviceBusFullyQualifiedNamespace string
param serviceBusQueueName string

param keyVaultUri string
param customsCertificateName string

param appInsightsConnectionString string
param logAnalyticsWorkspaceId string

@description('Residency: the region this deployment runs in and the regions the app may process customs data in.')
param residencyRegion string
param residencyAllowedRegions string[]

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances for the http group: the gate never cold-starts and the status-event processor always runs.')
@minValue(1)
@maxValue(10)
param alwaysReadyHttpInstances int

@description('How client certificates reach the app (X-ARR-ClientCert). The platform does not validate them; the app does.')
@allowed([
  'Optional'
  'OptionalInteractiveUser'
])
param clientCertMode string

param tags object

@description('Extra app settings (name/value pairs) for the port\'s customs profile; never secrets.')
param extraAppSettings object

@description('Days before expiry that the customs client certificate turns health degraded (the alert rule uses the same).')
param certificateExpiryWarningDays int

@description('Client id of the API\'s Entra app registration; empty: App Service authentication off (the app then ignores X-MS-CLIENT-PRINCIPAL).')
param entraClientId string

@description('Entra tenant of the app registration.')
param entraTenantId string

@description('Audiences accepted in access tokens; empty: api://<entraClientId>.')
param entraAllowedAudiences string[]

@description('Gate queries per caller per minute (RateLimits:Groups:gate).')
param gateQueriesPerCallerPerMinute int

@description('Pinned thumbprints of the customs platform\'s client certificates (CallerCertificates:PinnedThumbprints).')
param customsCallerCertificateThumbprints string[] = []

@description('Trusted roots for the customs platform\'s client certificates (CallerCertificates:TrustedRoots).')
param customsCallerTrustedRoots string[] = []

@description('The customs authority\'s notification-signing certificates, PEM (CustomsPlatform:InboundSignatures:Certificates).')
param customsSigningCertificates string[] = []

@description('Thumbprint pins of the authority\'s signing certificates (CustomsPlatform:InboundSignatures:Thumbprints).')
param customsSigningThumbprints string[] = []

@description('Each broker\'s SFTP local user id ({ broker, userId }, the landing account\'s output).')
param brokerSftpUsers array = []

@description('The VNet integration subnet (delegated to Microsoft.App/environments); empty: no VNet integration.')
param virtualNetworkSubnetId string = ''

var baseSettings = {
  // Functions host storage (leases, Durable Functions task hub, blob receipts), identity-based.
  AzureWebJobsStorage__blobServiceUri: hostBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: hostQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: hostTableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId

  // SFTP landing account: the blob trigger (Event Grid source) and the file router.
  LandingStorage__blobServiceUri: landingBlobEndpoint
  LandingStorage__queueServiceUri: landingQueueEndpoint
  LandingStorage__dfsServiceUri: landingDfsEndpoint
  LandingStorage__credential: 'managedidentity'
  LandingStorage__clientId: identityClientId

  // Status events: ServiceBusSessionProcessor hosted in the worker.
  ServiceBus__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBus__credential: 'managedidentity'
  ServiceBus__clientId: identityClientId
  ServiceBus__QueueName: serviceBusQueueName

  // Outbound mTLS certificate, loaded lazily from Key Vault (version-less, so rotation is picked up).
  CustomsPlatform__ClientCertificate__VaultUri: keyVaultUri
  CustomsPlatform__ClientCertificate__CertificateName: customsCertificateName
  CustomsPlatform__ClientCertificate__credential: 'managedidentity'
  CustomsPlatform__ClientCertificate__clientId: identityClientId
  CustomsPlatform__ClientCertificate__ExpiryWarning: '${certificateExpiryWarningDays}.00:00:00'

  // Telemetry with Entra ID auth (App Insights local auth is disabled).
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

  // DefaultAzureCredential / ManagedIdentityCredential in code pick the user-assigned identity.
  AZURE_CLIENT_ID: identityClientId

  // Per-caller rate of the gate group (CallerRateLimiter): 429 for that caller only, no queueing.
  RateLimits__Groups__gate__PermitLimit: '${gateQueriesPerCallerPerMinute}'
  RateLimits__Groups__gate__Window: '00:01:00'

  // Customs' client certificates: required as soon as the port names customs' certificate or CA, so a function key
  // alone never gives the customs role (a terminal could otherwise post a release).
  CallerCertificates__Required: string(!empty(customsCallerCertificateThumbprints) || !empty(customsCallerTrustedRoots))

  // Notifications must carry the authority's signature as soon as the port names its signing certificate or pin.
  CustomsPlatform__InboundSignatures__Mode: empty(customsSigningCertificates) && empty(customsSigningThumbprints) ? 'Off' : 'Required'

  // Batch drops: a file is read as a broker's only when that broker's SFTP user uploaded it (ids below).
  Batch__UploaderIdentity: 'SftpOwner'

  // Residency: the app refuses to process customs data outside these regions.
  Residency__Region: residencyRegion
  Residency__AllowedRegions: join(residencyAllowedRegions, ',')
}

// The same list as indexed keys, so it also binds to string[] (Residency:AllowedRegions:0, :1, ...).
var indexedRegions = toObject(
  range(0, length(residencyAllowedRegions)),
  i => 'Residency__AllowedRegions__${i}',
  i => residencyAllowedRegions[i]
)

var indexedThumbprints = toObject(
  range(0, length(customsCallerCertificateThumbprints)),
  i => 'CallerCertificates__PinnedThumbprints__${i}',
  i => customsCallerCertificateThumbprints[i]
)

var indexedRoots = toObject(
  range(0, length(customsCallerTrustedRoots)),
  i => 'CallerCertificates__TrustedRoots__${i}',
  i => customsCallerTrustedRoots[i]
)

var indexedSigningCertificates = toObject(
  range(0, length(customsSigningCertificates)),
  i => 'CustomsPlatform__InboundSignatures__Certificates__${i}',
  i => customsSigningCertificates[i]
)

var indexedSigningThumbprints = toObject(
  range(0, length(customsSigningThumbprints)),
  i => 'CustomsPlatform__InboundSignatures__Thumbprints__${i}',
  i => customsSigningThumbprints[i]
)

// Batch__Brokers__<broker>__SftpUserId: the id Azure gave each broker's local user, for the ACLs and the uploader check.
var brokerSftpUserSettings = toObject(
  brokerSftpUsers,
  u => 'Batch__Brokers__${u.broker}__SftpUserId',
  u => string(u.userId)
)

var allSettings = union(baseSettings, indexedRegions, indexedThumbprints, indexedRoots, indexedSigningCertificates, indexedSigningThumbprints, brokerSftpUserSettings, extraAppSettings)

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: true
    clientCertMode: clientCertMode
    // Inbound stays public: the terminal, customs and Event Grid's webhook call the app (keys, certificates, roles).
    publicNetworkAccess: 'Enabled'
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: [
          {
            name: 'http'
            instanceCount: alwaysReadyHttpInstances
          }
        ]
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [
        for setting in items(allSettings): {
          name: setting.key
          value: setting.value
        }
      ]
    }
  }
}

// App Service authentication (Easy Auth) with Entra ID: it validates callers' bearer tokens (client credentials, app
// roles terminal / customs / operator) and passes the caller on in X-MS-CLIENT-PRINCIPAL, which callers cannot set.
// Unauthenticated requests still reach the app (health, OpenAPI, the customs platform's client certificate, Event Grid's
// webhook); the app's CallerAccessMiddleware refuses them on every role-bound route. The platform sets
// WEBSITE_AUTH_ENABLED=True when this is on, which is the only case in which the app trusts the principal headers.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(entraClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: empty(entraAllowedAudiences) ? [
            'api://${entraClientId}'
          ] : entraAllowedAudiences
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

// Deployments authenticate with Entra ID (OIDC in GitHub Actions, azd); basic publishing credentials stay off.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
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

output id string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName
