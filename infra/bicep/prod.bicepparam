// Production environment: zone-redundant storage, Premium Service Bus, two always-ready instances at the gate.
using 'main.bicep'

param environmentName = 'prod'
param location = 'westeurope'
param residencyAllowedRegions = [
  'westeurope'
]
param storageSku = 'Standard_ZRS'
param serviceBusSku = 'Premium'
param serviceBusPremiumMessagingUnits = 1
param alwaysReadyHttpInstances = 2
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param logRetentionDays = 90
param keyVaultSoftDeleteRetentionDays = 90
param customsCertificateName = 'customs-client'
param deployBlobEventSubscription = true
// One entry per broker; keys come from the broker (OpenSSH public key format).
param brokers = []
param sftpAllowedIpRanges = []
// The app reaches storage, Service Bus and Key Vault over private endpoints; their public access is off.
param privateNetworking = true
param vnetAddressPrefix = '10.40.0.0/24'
// Operators' public IP ranges that may reach Key Vault to upload or rotate the customs certificate.
param keyVaultOperatorIpRanges = []
param tags = {
  costCenter: 'port-it'
}
// Caller identity, from the GitHub environment's variables (docs/deploy.md): the Entra app registration's client id,
// and the customs platform's client certificate thumbprints (comma-separated). deploy.sh refuses prod with neither.
param entraClientId = readEnvironmentVariable('PORTCUSTOMS_ENTRA_CLIENT_ID', '')
var customsThumbprints = readEnvironmentVariable('PORTCUSTOMS_CUSTOMS_CALLER_THUMBPRINTS', '')
param customsCallerCertificateThumbprints = empty(customsThumbprints) ? [] : split(customsThumbprints, ',')
// The customs authority's notification-signing certificate (PEM; a GitHub variable may hold several lines) and/or its
// thumbprints (comma-separated): either one makes signed notifications required (docs/signing.md).
var signingCertificate = readEnvironmentVariable('PORTCUSTOMS_CUSTOMS_SIGNING_CERTIFICATE', '')
param customsSigningCertificates = empty(signingCertificate) ? [] : [signingCertificate]
var signingThumbprints = readEnvironmentVariable('PORTCUSTOMS_CUSTOMS_SIGNING_THUMBPRINTS', '')
param customsSigningThumbprints = empty(signingThumbprints) ? [] : split(signingThumbprints, ',')
