// Event Grid system topic on the SFTP landing account, and the subscription that feeds the blob trigger
// (BatchDropTrigger, Source = EventGrid) through the Functions blob extension webhook.
//
// SFTP raises BlobCreated twice per upload: SftpCreate (empty blob) then SftpCommit (file complete). Only
// SftpCommit under containers/inbound/ is delivered. Clients that upload to a temporary name and rename it (WinSCP's
// '.filepart') raise SftpCommit on the temporary name and then BlobRenamed, which is not delivered: the function takes
// the temporary name's commit for the final name (it waits, through the trigger's retries, until the rename is done)
// and the ledger keeps it to one outcome. Undeliverable events go to a dead-letter container on the
// landing account, written by the topic's own identity (shared keys are off).
//
// The webhook URL carries the host's blobs_extension system key, read with listKeys at deployment time. That key
// exists only once the app's code is deployed and the host has started, and Event Grid validates the endpoint when the
// subscription is created: deploy with deployBlobEventSubscription = false first, deploy the code, then deploy again
// with true (deploy.yml and docs/deploy.md do exactly that).

@description('Azure region; the residency-pinned location from main.bicep (a system topic lives with its source).')
param location string

param systemTopicName string
param landingStorageName string
param deadLetterContainerName string
param functionAppName string

@description('Name of the blob-triggered function.')
param functionName string

@description('Create the event subscription (requires the app code to be deployed and running).')
param deploySubscription bool

@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int

param tags object

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource landingStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: landingStorageName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: landingStorage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(landingStorage::blobService::deadLetterContainer.id, systemTopicName, storageBlobDataContributor)
  scope: landingStorage::blobService::deadLetterContainer
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource blobTriggerSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (deploySubscription) {
  parent: systemTopic
  name: 'batch-drop-${toLower(functionName)}'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${listKeys('${functionApp.id}/host/default', '2024-04-01').systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/inbound/'
      enableAdvancedFilteringOnArrays: true
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.api'
          values: [
            'SftpCommit'
          ]
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: landingStorage.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
  dependsOn: [
    deadLetterWriter
  ]
}

output systemTopicName string = systemTopic.name
output subscriptionDeployed bool = deploySubscription
