param name string
param location string
param tags object

@secure()
@description('Comma-separated chat.qwen.ai session tokens (QWEN_TOKENS).')
param qwenTokens string

@secure()
@description('Comma-separated chat.qwen.ai refresh tokens (QWEN_REFRESH_TOKENS).')
param qwenRefreshTokens string

@secure()
@description('QWEN_TOKEN_ENCRYPTION_KEY as given: base64 of 32 bytes, or 32 characters (what azd generates) used as the key bytes.')
param tokenEncryptionKey string

@secure()
@description('Comma-separated client API keys (API_KEYS).')
param apiKeys string

@secure()
@description('Key that signs Anthropic thinking blocks (Anthropic__ThinkingSignatureKey).')
param anthropicThinkingSignatureKey string

// Key Vault secret names allow only letters, digits and dashes.
var qwenTokensSecretName = 'qwen-tokens'
var qwenRefreshTokensSecretName = 'qwen-refresh-tokens'
var tokenEncryptionKeySecretName = 'qwen-token-encryption-key'
var apiKeysSecretName = 'api-keys'

// The app wants base64 of 32 bytes; azd's generator makes 32 letters and digits, which are those bytes.
var tokenEncryptionKeyBase64 = length(tokenEncryptionKey) == 32 ? base64(tokenEncryptionKey) : tokenEncryptionKey

// An account list left unset is stored as one blank (the app trims it to "no accounts"): an ARM secret needs a value,
// and a setting that exists either way keeps the Key Vault reference and the app settings the same on every provision.
var qwenTokensValue = empty(qwenTokens) ? ' ' : qwenTokens
var qwenRefreshTokensValue = empty(qwenRefreshTokens) ? ' ' : qwenRefreshTokens
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
    value: qwenTokensValue
    contentType: 'text/plain; comma-separated chat.qwen.ai tokens'
  }
}

resource qwenRefreshTokensSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: qwenRefreshTokensSecretName
  properties: {
    value: qwenRefreshTokensValue
    contentType: 'text/plain; comma-separated chat.qwen.ai refresh tokens'
  }
}

resource tokenEncryptionKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: tokenEncryptionKeySecretName
  properties: {
    value: tokenEncryptionKeyBase64
    contentType: 'text/plain; base64 AES-256 key for rotated refresh tokens'
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
output qwenRefreshTokensUri string = qwenRefreshTokensSecret.properties.secretUri
output tokenEncryptionKeyUri string = tokenEncryptionKeySecret.properties.secretUri
output apiKeysUri string = apiKeysSecret.properties.secretUri
output anthropicThinkingSignatureKeyUri string = anthropicThinkingSignatureKeySecret.properties.secretUri
