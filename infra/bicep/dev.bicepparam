// Development environment. Replace the region and brokers with the port's own before the first deployment.
using 'main.bicep'

param environmentName = 'dev'
param location = 'westeurope'
param residencyAllowedRegions = [
  'westeurope'
]
param storageSku = 'Standard_LRS'
param serviceBusSku = 'Standard'
param alwaysReadyHttpInstances = 1
param maximumInstanceCount = 10
param logRetentionDays = 30
param keyVaultSoftDeleteRetentionDays = 7
param customsCertificateName = 'customs-client'
// The workflow overrides this with false on the very first deployment (no app code yet), then true.
param deployBlobEventSubscription = true
// One entry per broker, e.g.
//   { name: 'brokerabc', sshPublicKeys: [ 'ssh-ed25519 AAAA... ops@brokerabc' ], readAcknowledgements: true }
param brokers = []
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
