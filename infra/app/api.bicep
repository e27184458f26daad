param name string
param planName string
param location string
param tags object

@description('azd service name in azure.yaml; azd finds the app to deploy by this tag.')
param serviceName string = 'api'

param identityName string
param applicationInsightsName string
param storageAccountName string
param deploymentContainerName string

@description('Versionless Key Vault secret URI for QWEN_TOKENS.')
param qwenTokensUri string

@description('Versionless Key Vault secret URI for QWEN_REFRESH_TOKENS.')
param qwenRefreshTokensUri string

@description('Versionless Key Vault secret URI for QWEN_TOKEN_ENCRYPTION_KEY.')
param tokenEncryptionKeyUri string

@description('Versionless Key Vault secret URI for API_KEYS.')
param apiKeysUri string

@description('Versionless Key Vault secret URI for Anthropic__ThinkingSignatureKey.')
param anthropicThinkingSignatureKeyUri string

param qwenBaseUrl string
param qwenAuthBaseUrl string
param defaultModel string
param corsAllowedOrigins array
param instanceMemoryMB int
param maximumInstanceCount int

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

var identityId = identity.id
var identityClientId = identity.properties.clientId

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Flex Consumption, not Linux Consumption: the chat endpoints stream SSE, which Linux Consumption buffers.
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

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
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
    // Key Vault references resolve with the user-assigned identity, not a (non-existent) system identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Flex Consumption takes no FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION settings:
// the runtime is functionAppConfig.runtime above.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // Host storage (and the Durable Functions task hub) through the identity; no account keys anywhere.
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // The worker's OpenTelemetry metrics and spans go to the same Application Insights with this identity
    // (Monitoring Metrics Publisher, rbac.bicep); set OTEL_EXPORTER_OTLP_ENDPOINT to also send them elsewhere.
    // Lets DefaultAzureCredential in app code pick the user-assigned identity.
    AZURE_CLIENT_ID: identityClientId

    // Secrets live in Key Vault; the platform resolves these references with the identity above.
    QWEN_TOKENS: '@Microsoft.KeyVault(SecretUri=${qwenTokensUri})'
    QWEN_REFRESH_TOKENS: '@Microsoft.KeyVault(SecretUri=${qwenRefreshTokensUri})'
    QWEN_TOKEN_ENCRYPTION_KEY: '@Microsoft.KeyVault(SecretUri=${tokenEncryptionKeyUri})'
    API_KEYS: '@Microsoft.KeyVault(SecretUri=${apiKeysUri})'
    Anthropic__ThinkingSignatureKey: '@Microsoft.KeyVault(SecretUri=${anthropicThinkingSignatureKeyUri})'

    // Non-secret settings: the Values of local.settings.sample.json with the app's defaults.
    // The infra tests fail when the sample gains a key that is missing here, or a default drifts.
    QWEN_BASE_URL: qwenBaseUrl
    QWEN_AUTH_BASE_URL: qwenAuthBaseUrl
    DEFAULT_MODEL: defaultModel
    Qwen__OssEndpoint: ''
    Qwen__Browser__Version: '0.3.12'
    Qwen__Browser__TimeZone: 'UTC'
    Qwen__Timeouts__Connect: '00:00:10'
    Qwen__Timeouts__FirstByte: '00:01:00'
    Qwen__Timeouts__Idle: '00:01:30'
    Qwen__Timeouts__Request: '00:00:30'
    Qwen__Timeouts__KeepAlive: '00:00:15'
    Qwen__Cooldowns__RateLimitDefault: '1.00:00:00'
    Qwen__Cooldowns__SoftLimit: '00:01:00'
    Qwen__Cooldowns__MaxAttempts: '3'
    Proxy__MaxJsonBodyBytes: '20971520'
    Proxy__MaxUpstreamMessageBytes: '100000'
    Proxy__ContinuationLifetime: '1.00:00:00'
    Proxy__ReasoningOutput: 'ReasoningContent'
    Proxy__ModelAliasList: ''
    Proxy__ModelsCacheTtl: '01:00:00'
    Proxy__RequireApiKeyForDocs: 'false'
    Responses__StoreLifetime: '30.00:00:00'
    Responses__MaxInMemory: '10000'
    Qwen__Browser__UserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36'
    Qwen__Browser__SecChUa: '"Chromium";v="140", "Not=A?Brand";v="24", "Google Chrome";v="140"'
    Qwen__Browser__Platform: '"Windows"'
    Qwen__Browser__AcceptLanguage: 'en-US,en;q=0.9'
    Qwen__Browser__Source: 'web'
    Qwen__Cooldowns__WafBackoff: '00:00:30'
    Video__DefaultModel: ''
    Images__DefaultModel: ''
    Files__AllowedContentTypes: 'image/*,audio/*,video/*,text/*,application/pdf,application/json,application/msword,application/rtf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.openxmlformats-officedocument.presentationml.presentation,application/vnd.ms-excel,application/vnd.ms-powerpoint'
    Files__TrustedImageHosts: 'cdn.qwenlm.ai,*.qwenlm.ai,qwen-webui-prod.oss-accelerate.aliyuncs.com,qwen-webui-prod.oss-ap-southeast-1.aliyuncs.com,qwen-chat.oss-ap-southeast-1.aliyuncs.com'
    State__MaxConflictRetries: '100'
    State__BindingWaitTimeout: '00:00:01'
    State__MaxUnsyncedWrites: '50000'
    State__ClientLimits__RequestsPerMinute: ''
    State__ClientLimits__MaxConcurrentStreams: ''
    State__ClientLimits__StreamSlotLifetime: '00:15:00'
    Video__PollInterval: '00:00:05'
    Video__Deadline: '00:15:00'
    Video__ExpectedDuration: '00:03:00'
    Video__PollsPerExecution: '60'
    Video__DefaultSize: '16:9'
    Images__DefaultSize: '1:1'
    Images__MaxImagesPerRequest: '4'
    Files__MaxUploadBytes: '26214400'
    Files__MaxDownloadBytes: '20971520'
    Files__MaxAttachmentsPerRequest: '16'
    Files__MaxAttachmentBytesPerRequest: '52428800'
    Files__DownloadTimeout: '00:00:30'
    Files__AllowPrivateNetworkDownloads: 'false'
    Files__ParsePollInterval: '00:00:01'
    Files__ParseMaxPolls: '10'
    Files__OssTimeout: '00:02:00'
    Files__VisionCacheLifetime: '12:00:00'
    Files__EnableStsPassThrough: 'true'
    State__TableNamePrefix: 'qwen'
    State__CacheTtl: '00:00:02'
    State__OperationTimeout: '00:00:02'
    State__Breaker__FailureThreshold: '5'
    State__Breaker__BreakDuration: '00:00:30'
  }
}

// Deployments go through Entra-authenticated OneDeploy (azd); no FTP or basic-auth publishing.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
