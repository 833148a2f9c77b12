// Azure Monitor alert rules and the operations workbook (issue: operations). The rules read what the app exports
// through OpenTelemetry into the workspace-based Application Insights (AppMetrics, AppRequests) and the Service Bus
// platform metrics. Each rule notifies the port's action group when one is given.

@description('Azure region; the residency-pinned location from main.bicep.')
param location string

param namePrefix string

param workspaceId string

param appInsightsId string

param serviceBusNamespaceId string

param statusEventQueueName string

@description('Resource id of the action group the rules notify (the operations desk). Empty: rules fire in Azure Monitor only.')
param actionGroupId string

@description('The gate function whose request duration is the gate answer time.')
param gateFunctionName string

@description('Days before the customs client certificate expires that the expiry rule fires (the app\'s ExpiryWarning).')
param certificateExpiryWarningDays int

param tags object

var actions = empty(actionGroupId) ? [] : [actionGroupId]

// Log-based rules: name, severity, what it means, the query (a row means "fire"), window and frequency.
var queryRules = [
  {
    name: 'delivery-success-below-99-5'
    severity: 1
    description: 'Status-event delivery to customs succeeded for less than 99.5 % of attempts in the last hour.'
    query: 'AppMetrics | where Name in ("portcustoms.events.delivered", "portcustoms.events.delivery_failures") | summarize delivered = sumif(Sum, Name == "portcustoms.events.delivered"), failed = sumif(Sum, Name == "portcustoms.events.delivery_failures") | where delivered + failed > 0 | extend successRate = delivered / (delivered + failed) | where successRate < 0.995'
    window: 'PT1H'
    frequency: 'PT5M'
  }
  {
    name: 'gate-p95-over-3s'
    severity: 1
    description: 'The 95th percentile of gate answers took longer than 3 s in the last 15 minutes: trucks wait at the gate.'
    query: 'AppRequests | where Name == "${gateFunctionName}" | summarize p95 = percentile(DurationMs, 95), answers = count() | where answers > 0 and p95 > 3000'
    window: 'PT15M'
    frequency: 'PT5M'
  }
  {
    name: 'oldest-undelivered-over-60s'
    severity: 1
    description: 'An accepted status event has waited more than 60 s for delivery to customs: customs is down or refusing, and the container view lists what waits.'
    query: 'AppMetrics | where Name == "portcustoms.events.oldest_undelivered.age" | summarize oldest = max(Max) | where oldest > 60'
    window: 'PT15M'
    frequency: 'PT5M'
  }
  {
    name: 'unmapped-code-seen'
    severity: 2
    description: 'A customs message carried a code the configured code lists do not map: it was held. Map the code before it stops more traffic.'
    query: 'AppMetrics | where Name == "portcustoms.codes.unmapped" | summarize seen = sum(Sum) | where seen > 0'
    window: 'PT1H'
    frequency: 'PT15M'
  }
  {
    name: 'reconciliation-past-deadline'
    severity: 1
    description: 'A manifest reconciliation was not reported by its deadline: discrepancies for that vessel call are not known yet.'
    query: 'AppMetrics | where Name == "portcustoms.reconciliation.deadlines_missed" | summarize missed = sum(Sum) | where missed > 0'
    window: 'PT1H'
    frequency: 'PT15M'
  }
  {
    name: 'customs-certificate-expiring'
    severity: 2
    description: 'The customs client certificate expires within ${certificateExpiryWarningDays} days: rotate it in Key Vault.'
    query: 'AppMetrics | where Name == "portcustoms.certificates.days_to_expiry" | summarize daysLeft = min(Min) | where daysLeft < ${certificateExpiryWarningDays}'
    window: 'PT6H'
    frequency: 'PT1H'
  }
]

resource rules 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [
  for rule in queryRules: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: '${namePrefix}: ${rule.name}'
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        workspaceId
      ]
      evaluationFrequency: rule.frequency
      windowSize: rule.window
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: {
        actionGroups: actions
      }
    }
  }
]

// Dead letters: the platform's own metric on the status-event queue; any message there needs a person.
resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-dead-letters-above-zero'
  location: 'global'
  tags: tags
  properties: {
    description: 'A status event was dead-lettered: it will not reach customs until an operator replays it.'
    severity: 1
    enabled: true
    scopes: [
      serviceBusNamespaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'dead-lettered'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                statusEventQueueName
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    autoMitigate: true
    actions: [
      for group in actions: {
        actionGroupId: group
      }
    ]
  }
}

// The operations workbook: the same KPIs the desks watch, over time, from the same data as the rules.
var workbookContent = {
  version: 'Notebook/1.0'
  items: [
    {
      type: 1
      content: {
        json: '## PortCustoms operations\nDelivery to customs against 99.5 %, gate answer time against 3 s, dead letters, errors by type.'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Delivery success rate (target 99.5 %)'
        query: 'AppMetrics | where Name in ("portcustoms.events.delivered", "portcustoms.events.delivery_failures") | summarize delivered = sumif(Sum, Name == "portcustoms.events.delivered"), failed = sumif(Sum, Name == "portcustoms.events.delivery_failures") by bin(TimeGenerated, 15m) | extend successRate = iff(delivered + failed > 0, 100.0 * delivered / (delivered + failed), real(null)) | project TimeGenerated, successRate'
        visualization: 'timechart'
        queryType: 0
        resourceType: 'microsoft.operationalinsights/workspaces'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Gate answer time, p95 (target 3 s)'
        query: 'AppRequests | where Name == "${gateFunctionName}" | summarize p95Ms = percentile(DurationMs, 95) by bin(TimeGenerated, 5m)'
        visualization: 'timechart'
        queryType: 0
        resourceType: 'microsoft.operationalinsights/workspaces'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Gate decisions by decision and source'
        query: 'AppMetrics | where Name == "portcustoms.gate.decisions" | extend decision = tostring(Properties["decision"]), source = tostring(Properties["source"]) | summarize decisions = sum(Sum) by bin(TimeGenerated, 15m), decision, source'
        visualization: 'barchart'
        queryType: 0
        resourceType: 'microsoft.operationalinsights/workspaces'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Delivery failures and dead letters by reason'
        query: 'AppMetrics | where Name in ("portcustoms.events.delivery_failures", "portcustoms.events.dead_lettered") | extend reason = strcat(Name, " ", tostring(Properties["outcome"]), tostring(Properties["reason"])) | summarize count = sum(Sum) by bin(TimeGenerated, 15m), reason'
        visualization: 'barchart'
        queryType: 0
        resourceType: 'microsoft.operationalinsights/workspaces'
      }
    }
  ]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, namePrefix, 'operations-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: '${namePrefix} operations'
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: string(workbookContent)
  }
}

output ruleNames string[] = [for (rule, i) in queryRules: rules[i].name]
output deadLetterRuleName string = deadLetters.name
