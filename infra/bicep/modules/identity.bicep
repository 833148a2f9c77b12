// The one user-assigned identity the function app runs as. Every data-plane permission is granted to it (rbac.bicep);
// the app never holds a key or connection string.

@description('Azure region; the residency-pinned location from main.bicep.')
param location string

@description('Name of the user-assigned managed identity.')
param name string

param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
