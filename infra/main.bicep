targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region for all resources. Must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the user or service principal running azd; gets Key Vault Secrets Officer to rotate secrets. Optional.')
param principalId string = ''

// QWEN_TOKENS and QWEN_REFRESH_TOKENS are both optional so an environment can run on refresh tokens alone; with
// neither the app still starts and /api/status says it has no account.
@secure()
@description('Comma-separated chat.qwen.ai access tokens (QWEN_TOKENS). Stored in Key Vault as qwen-tokens; never an app setting value.')
param qwenTokens string

@secure()
@description('Comma-separated chat.qwen.ai refresh tokens (QWEN_REFRESH_TOKENS); each is an account whose access tokens the app mints. Stored in Key Vault as qwen-refresh-tokens.')
param qwenRefreshTokens string

@secure()
@minLength(32)
@description('Key that encrypts rotated refresh tokens in the state table (QWEN_TOKEN_ENCRYPTION_KEY): base64 of 32 bytes, or 32 characters used as the key bytes. Stored in Key Vault as qwen-token-encryption-key. Unset: azd generates it once and reuses it on every provision, so a redeploy never replaces it.')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 32
      noSpecial: true
    }
  }
})
param tokenEncryptionKey string

@secure()
@minLength(1)
@description('Comma-separated API keys clients must present. Stored in Key Vault as api-keys.')
param apiKeys string

@secure()
@minLength(16)
@description('Key that signs the thinking blocks of Anthropic answers (Anthropic__ThinkingSignatureKey). Stored in Key Vault as anthropic-thinking-signature-key. Unset: azd generates it once and reuses it on every provision.')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 48
      noSpecial: true
    }
  }
})
param anthropicThinkingSignatureKey string

@description('Comma-separated browser origins allowed by CORS, e.g. https://app.example.com. Empty allows none.')
param corsAllowedOrigins string = ''

@description('Upstream base URL (QWEN_BASE_URL).')
param qwenBaseUrl string = 'https://chat.qwen.ai'

@description('Host that mints access tokens from refresh tokens (QWEN_AUTH_BASE_URL).')
param qwenAuthBaseUrl string = 'https://auth.qwen.ai'

@description('Model used when a request names none (DEFAULT_MODEL). Empty: the first model the upstream lists.')
param defaultModel string = ''

@allowed([512, 2048, 4096])
@description('Flex Consumption instance size in MB.')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Upper bound on Flex Consumption scale-out.')
param maximumInstanceCount int = 100

@description('Overrides the resource group name (default rg-<environmentName>).')
param resourceGroupName string = ''

@description('Overrides the function app name (default func-api-<token>).')
param apiServiceName string = ''

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = !empty(apiServiceName) ? apiServiceName : '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${toLower(take(functionAppName, 32))}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var keyVaultName = '${abbrs.keyVaultVaults}${resourceToken}'
var corsOrigins = empty(corsAllowedOrigins) ? [] : map(split(corsAllowedOrigins, ','), origin => trim(origin))

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity './app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring './app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module storage './app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    deploymentContainerName: deploymentContainerName
    location: location
    tags: tags
  }
}

module keyVault './app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
    qwenTokens: qwenTokens
    qwenRefreshTokens: qwenRefreshTokens
    tokenEncryptionKey: tokenEncryptionKey
    apiKeys: apiKeys
    anthropicThinkingSignatureKey: anthropicThinkingSignatureKey
  }
}

module rbac './app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storageAccountName
    applicationInsightsName: applicationInsightsName
    keyVaultName: keyVaultName
    identityName: identityName
    deployerPrincipalId: principalId
  }
  // Names are passed as compile-time values (precise what-if), so the ordering is explicit.
  dependsOn: [
    identity
    monitoring
    storage
    keyVault
  ]
}

module api './app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityName: identityName
    applicationInsightsName: applicationInsightsName
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    qwenTokensUri: keyVault.outputs.qwenTokensUri
    qwenRefreshTokensUri: keyVault.outputs.qwenRefreshTokensUri
    tokenEncryptionKeyUri: keyVault.outputs.tokenEncryptionKeyUri
    apiKeysUri: keyVault.outputs.apiKeysUri
    anthropicThinkingSignatureKeyUri: keyVault.outputs.anthropicThinkingSignatureKeyUri
    qwenBaseUrl: qwenBaseUrl
    qwenAuthBaseUrl: qwenAuthBaseUrl
    defaultModel: defaultModel
    corsAllowedOrigins: corsOrigins
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
  // rbac first: the app must be able to read storage and Key Vault the first time it starts.
  dependsOn: [
    identity
    monitoring
    storage
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_FUNCTION_NAME string = api.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.endpoint
output AZURE_APPLICATION_INSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
