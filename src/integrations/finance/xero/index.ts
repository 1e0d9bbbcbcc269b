/**
 * Xero: the FinanceSystem adapter, its webhook verifier, OAuth, and the in-memory sandbox used by tests and the demo.
 * Vendor shapes stay inside this folder; only port types leave it.
 */
export { createXeroFinanceSystem, XERO_API_URL, type XeroFinanceSystemOptions, xeroIdempotencyKey } from './adapter.js';
export {
  createXeroOAuth,
  XERO_AUTHORIZE_URL,
  XERO_CONNECTIONS_URL,
  XERO_SCOPES,
  XERO_TOKEN_URL,
  type XeroOAuth,
  type XeroOAuthOptions,
} from './oauth.js';
export { parseXeroError } from './parse-xero-error.js';
export {
  createXeroSandbox,
  type XeroSandbox,
  type XeroSandboxCall,
  type XeroSandboxOptions,
  type XeroWebhookDelivery,
} from './sandbox/index.js';
export { createXeroWebhookVerifier, signXeroWebhook } from './webhooks.js';
