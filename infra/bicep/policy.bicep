// Subscription-wide data residency guard, deployed once per subscription by someone allowed to assign policy
// (Resource Policy Contributor or Owner), separately from main.bicep:
//   az deployment sub create -l <region> -f infra/bicep/policy.bicep -p allowedLocations='["westeurope"]'
// Assigns the built-in "Allowed locations" (resources) and "Allowed locations for resource groups" policies.
// Resources whose location is 'global' are exempt by the built-in definition.

targetScope = 'subscription'

@description('Regions where resources and resource groups may be created. Approved EU regions only.')
@minLength(1)
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
param allowedLocations string[]

@description('Default denies non-compliant deployments; DoNotEnforce only reports (use for a trial run).')
@allowed([
  'Default'
  'DoNotEnforce'
])
param enforcementMode string = 'Default'

var allowedLocationsDefinitionId = tenantResourceId('Microsoft.Authorization/policyDefinitions', 'e56962a6-4747-49cd-b67b-bf8b01975c4c')
var allowedResourceGroupLocationsDefinitionId = tenantResourceId('Microsoft.Authorization/policyDefinitions', 'e765b5de-1225-4ba3-bd56-1ac6695af988')

resource allowedLocationsAssignment 'Microsoft.Authorization/policyAssignments@2024-04-01' = {
  name: 'portcustoms-allowed-locations'
  properties: {
    displayName: 'PortCustoms: allowed locations (customs data residency)'
    description: 'Customs data stays in the approved regions.'
    policyDefinitionId: allowedLocationsDefinitionId
    enforcementMode: enforcementMode
    parameters: {
      listOfAllowedLocations: {
        value: allowedLocations
      }
    }
    nonComplianceMessages: [
      {
        message: 'PortCustoms data residency: resources may only be created in ${join(allowedLocations, ', ')}.'
      }
    ]
  }
}

resource allowedResourceGroupLocationsAssignment 'Microsoft.Authorization/policyAssignments@2024-04-01' = {
  name: 'portcustoms-allowed-rg-locations'
  properties: {
    displayName: 'PortCustoms: allowed locations for resource groups'
    description: 'Resource group metadata stays in the approved regions.'
    policyDefinitionId: allowedResourceGroupLocationsDefinitionId
    enforcementMode: enforcementMode
    parameters: {
      listOfAllowedLocations: {
        value: allowedLocations
      }
    }
    nonComplianceMessages: [
      {
        message: 'PortCustoms data residency: resource groups may only be created in ${join(allowedLocations, ', ')}.'
      }
    ]
  }
}

output allowedLocationsAssignmentId string = allowedLocationsAssignment.id
output allowedResourceGroupLocationsAssignmentId string = allowedResourceGroupLocationsAssignment.id
