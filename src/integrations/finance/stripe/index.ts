/**
 * Stripe: the FinanceSystem adapter, the SDK client factory (Stripe uses API keys, no OAuth), the webhook verifier,
 * and the in-memory sandbox used by tests and the demo. Vendor shapes stay inside this folder.
 */
export {
  createStripeFinanceSystem,
  type StripeFinanceSystemOptions,
  stripeIdempotencyKey,
} from './adapter.js';
export { isLiveKey, type StripeClientOptions, stripeFromKey } from './client.js';
export { STRIPE_METADATA } from './customer-draft-to-stripe.js';
export { parseStripeError } from './parse-stripe-error.js';
export {
  createStripeSandbox,
  type StripeSandbox,
  type StripeSandboxCall,
  type StripeSandboxOptions,
  type StripeWebhookDelivery,
} from './sandbox/index.js';
export { createStripeWebhookVerifier, type StripeWebhookOptions } from './webhooks.js';
