// Log Analytics workspace and a workspace-based Application Insights with local (key) authentication disabled:
// telemetry is accepted only with an Entra ID token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING + Monitoring Metrics Publisher).

@description('Azure region; the residency-pinned location from main.bicep.')
param location string

param logAnalyticsName string
param appInsightsName string

@minValue(30)
@maxValue(730)
param retentionInDays int

param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      disableLocalAuth: true
      enableLogAccessUsingOnlyResourcePermissions: true
    }
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
    RetentionInDays: retentionInDays
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

output workspaceId string = workspace.id
output appInsightsId string = appInsights.id
output appInsightsName string = appInsights.name
// The connection string holds the instrumentation key and ingestion endpoint, not a secret: with local auth disabled
// nothing is accepted without an Entra ID token.
output appInsightsConnectionString string = appInsights.properties.ConnectionString
