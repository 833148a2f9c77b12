// Private networking (main.bicep's privateNetworking): a VNet with the app's integration subnet (delegated to
// Microsoft.App/environments, as Flex Consumption requires) and a subnet for private endpoints, the private DNS zones
// those endpoints register in, and the endpoints themselves. The app then reaches host storage, the landing account,
// Service Bus (Premium) and Key Vault over private IPs, and those services can turn public network access off.

@description('Region of every resource here (the residency-pinned location).')
param location string

param vnetName string

@description('Address space of the VNet; the app subnet takes the first /26, private endpoints the next /27.')
param addressPrefix string

@description('Private endpoints to create: name, the target resource (type and name, in this resource group) and its group (blob, queue, table, dfs, namespace, vault).')
param endpoints endpoint[]

param tags object

type endpoint = {
  name: string
  resourceType: 'Microsoft.Storage/storageAccounts' | 'Microsoft.ServiceBus/namespaces' | 'Microsoft.KeyVault/vaults'
  resourceName: string
  groupId: 'blob' | 'queue' | 'table' | 'dfs' | 'namespace' | 'vault'
}

// The zone each kind of endpoint registers in (Azure public cloud names).
var zoneOf = {
  blob: 'privatelink.blob.${environment().suffixes.storage}'
  queue: 'privatelink.queue.${environment().suffixes.storage}'
  table: 'privatelink.table.${environment().suffixes.storage}'
  dfs: 'privatelink.dfs.${environment().suffixes.storage}'
  namespace: 'privatelink.servicebus.windows.net'
  vault: 'privatelink.vaultcore.azure.net'
}
var zoneNames = union(map(endpoints, e => zoneOf[e.groupId]), [])

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 26, 0)
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          // No implicit internet egress: outbound goes where the app's routes say.
          defaultOutboundAccess: false
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 27, 2)
          privateEndpointNetworkPolicies: 'Enabled'
          defaultOutboundAccess: false
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in zoneNames: {
    name: zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in zoneNames: {
    parent: zones[i]
    name: '${vnetName}-link'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for e in endpoints: {
    name: e.name
    location: location
    tags: tags
    properties: {
      subnet: {
        id: '${vnet.id}/subnets/private-endpoints'
      }
      privateLinkServiceConnections: [
        {
          name: e.name
          properties: {
            privateLinkServiceId: resourceId(e.resourceType, e.resourceName)
            groupIds: [
              e.groupId
            ]
          }
        }
      ]
    }
  }
]

resource dnsGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (e, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: e.groupId
          properties: {
            privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', zoneOf[e.groupId])
          }
        }
      ]
    }
    dependsOn: [
      zones
    ]
  }
]

output appSubnetId string = '${vnet.id}/subnets/app'
output vnetId string = vnet.id
