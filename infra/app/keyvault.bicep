param name string
param location string
param tags object

@secure()
@description('Comma-separated chat.qwen.ai session tokens (QWEN_TOKENS).')
param qwenTokens string

@secure()
@description('Comma-separated client API keys (API_KEYS).')
param apiKeys string

@secure()
@description('Key that signs Anthropic thinking blocks (Anthropic__ThinkingSignatureKey).')
param anthropicThinkingSignatureKey string

// Key Vault secret names allow only letters, digits and dashes.
var qwenTokensSecretName = 'qwen-tokens'
var apiKeysSecretName = 'api-keys'
var anthropicThinkingSignatureKeySecretName = 'anthropic-thinking-signature-key'

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource qwenTokensSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: qwenTokensSecretName
  properties: {
    value: qwenTokens
    contentType: 'text/plain; comma-separated chat.qwen.ai tokens'
  }
}

resource apiKeysSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: apiKeysSecretName
  properties: {
    value: apiKeys
    contentType: 'text/plain; comma-separated API keys'
  }
}

resource anthropicThinkingSignatureKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: anthropicThinkingSignatureKeySecretName
  properties: {
    value: anthropicThinkingSignatureKey
    contentType: 'text/plain; HMAC key for Anthropic thinking signatures'
  }
}

output name string = vault.name
output endpoint string = vault.properties.vaultUri
// Versionless URIs: Key Vault references then follow the latest secret version, so rotation needs no redeploy.
output qwenTokensUri string = qwenTokensSecret.properties.secretUri
output apiKeysUri string = apiKeysSecret.properties.secretUri
output anthropicThinkingSignatureKeyUri string = anthropicThinkingSignatureKeySecret.properties.secretUri
