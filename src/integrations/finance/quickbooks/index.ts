/** The QuickBooks Online adapter's public surface; vendor shapes (types.ts) stay inside this folder's users. */
export { createQuickBooksFinanceSystem, type QuickBooksFinanceSystemOptions } from './adapter.js';
export { QUICKBOOKS_API_URL, QUICKBOOKS_MINOR_VERSION, requestIdFor } from './client.js';
export {
  createQuickBooksOAuth,
  QUICKBOOKS_ACCOUNTING_SCOPE,
  QUICKBOOKS_AUTHORIZE_URL,
  QUICKBOOKS_TOKEN_URL,
  type QuickBooksOAuthOptions,
} from './oauth.js';
export { parseQuickBooksError, quickBooksFaultCodes } from './parse-quickbooks-error.js';
export { createQuickBooksWebhookVerifier, parseQuickBooksWebhook, signQuickBooksWebhook } from './webhooks.js';
