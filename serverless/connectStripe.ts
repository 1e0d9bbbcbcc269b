import { SettingsViewSchema } from '../src/api/contracts.js';
import * as connections from '../src/app/finance-connections.js';
import type { AppServices } from '../src/app/services.js';
import { getSettings } from '../src/app/settings-service.js';
import { DomainError } from '../src/core/errors.js';
import { defineHandler } from './handler.js';

/**
 * Connects Stripe with an API key (checked with one read, stored encrypted); answers the settings page again, with
 * the webhook URL to register in Stripe for this connection.
 */
export const connectStripe = defineHandler<
  typeof connections.ConnectStripeInput,
  typeof SettingsViewSchema,
  AppServices
>({
  name: 'connectStripe',
  input: connections.ConnectStripeInput,
  output: SettingsViewSchema,
  handle: async (input, ctx) => {
    const platform = ctx.services.platform;
    if (!platform) throw new DomainError('conflict', 'Stripe cannot be connected from this process');
    const connected = await connections.connectStripe(ctx, input, {
      box: platform.box,
      publicBaseUrl: platform.publicBaseUrl,
      ...(platform.stripeApiBaseUrl ? { stripeApiBaseUrl: platform.stripeApiBaseUrl } : {}),
    });
    return { ...(await getSettings(ctx)), stripeWebhookUrl: connected.webhookUrl };
  },
});
