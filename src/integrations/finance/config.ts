import { z } from 'zod';
import type { FinanceConfig } from './factory.js';

/**
 * The finance systems' settings from environment variables (the worker's entry reads them; the server can too).
 * A vendor is configured only when its client id and secret are both set; URLs default to the vendors' own.
 */
const url = z
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));
const text = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

export const FinanceEnvSchema = z.object({
  QUICKBOOKS_CLIENT_ID: text,
  QUICKBOOKS_CLIENT_SECRET: text,
  QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: text,
  /** https://sandbox-quickbooks.api.intuit.com for Intuit sandbox companies. */
  QUICKBOOKS_API_BASE_URL: url,
  QUICKBOOKS_AUTHORIZE_URL: url,
  QUICKBOOKS_TOKEN_URL: url,
  /** DefinitionId of the sales-form custom field that carries the PO number. */
  QUICKBOOKS_PO_FIELD_ID: text,
  XERO_CLIENT_ID: text,
  XERO_CLIENT_SECRET: text,
  XERO_WEBHOOK_KEY: text,
  XERO_API_BASE_URL: url,
  XERO_AUTHORIZE_URL: url,
  XERO_TOKEN_URL: url,
  XERO_CONNECTIONS_URL: url,
  XERO_SALES_ACCOUNT_CODE: text,
  STRIPE_API_BASE_URL: url,
  STRIPE_WEBHOOK_SECRET: text,
  STRIPE_ACCOUNT_ID: text,
});

/**
 * FinanceConfig from an environment; redirect URIs are `<publicBaseUrl>/oauth/<vendor>/callback`.
 * @example const financeConfig = financeConfigFromEnv(process.env, config.publicBaseUrl);
 */
export function financeConfigFromEnv(env: Record<string, string | undefined>, publicBaseUrl: string): FinanceConfig {
  const e = FinanceEnvSchema.parse(env);
  const base = publicBaseUrl.replace(/\/$/, '');
  const config: FinanceConfig = {};
  if (e.QUICKBOOKS_CLIENT_ID && e.QUICKBOOKS_CLIENT_SECRET) {
    config.quickbooks = {
      clientId: e.QUICKBOOKS_CLIENT_ID,
      clientSecret: e.QUICKBOOKS_CLIENT_SECRET,
      redirectUri: `${base}/oauth/quickbooks/callback`,
      ...(e.QUICKBOOKS_API_BASE_URL ? { apiBaseUrl: e.QUICKBOOKS_API_BASE_URL } : {}),
      ...(e.QUICKBOOKS_AUTHORIZE_URL ? { authorizeUrl: e.QUICKBOOKS_AUTHORIZE_URL } : {}),
      ...(e.QUICKBOOKS_TOKEN_URL ? { tokenUrl: e.QUICKBOOKS_TOKEN_URL } : {}),
      ...(e.QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN ? { webhookVerifierToken: e.QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN } : {}),
      ...(e.QUICKBOOKS_PO_FIELD_ID ? { poCustomField: { definitionId: e.QUICKBOOKS_PO_FIELD_ID } } : {}),
    };
  }
  if (e.XERO_CLIENT_ID && e.XERO_CLIENT_SECRET) {
    config.xero = {
      clientId: e.XERO_CLIENT_ID,
      clientSecret: e.XERO_CLIENT_SECRET,
      redirectUri: `${base}/oauth/xero/callback`,
      ...(e.XERO_API_BASE_URL ? { apiBaseUrl: e.XERO_API_BASE_URL } : {}),
      ...(e.XERO_AUTHORIZE_URL ? { authorizeUrl: e.XERO_AUTHORIZE_URL } : {}),
      ...(e.XERO_TOKEN_URL ? { tokenUrl: e.XERO_TOKEN_URL } : {}),
      ...(e.XERO_CONNECTIONS_URL ? { connectionsUrl: e.XERO_CONNECTIONS_URL } : {}),
      ...(e.XERO_WEBHOOK_KEY ? { webhookKey: e.XERO_WEBHOOK_KEY } : {}),
      ...(e.XERO_SALES_ACCOUNT_CODE ? { salesAccountCode: e.XERO_SALES_ACCOUNT_CODE } : {}),
    };
  }
  config.stripe = {
    ...(e.STRIPE_API_BASE_URL ? { apiBaseUrl: e.STRIPE_API_BASE_URL } : {}),
    ...(e.STRIPE_WEBHOOK_SECRET ? { webhookSecret: e.STRIPE_WEBHOOK_SECRET } : {}),
    ...(e.STRIPE_ACCOUNT_ID ? { accountId: e.STRIPE_ACCOUNT_ID } : {}),
  };
  return config;
}
