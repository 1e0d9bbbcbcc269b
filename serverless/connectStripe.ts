import { z } from 'zod';
import * as connections from '../src/app/finance-connections.js';
import type { AppServices } from '../src/app/services.js';
import { DomainError } from '../src/core/errors.js';
import { defineHandler } from './handler.js';

const Output = z.object({
  system: z.literal('stripe'),
  tenantId: z.string(),
  webhookUrl: z.string(),
  livemode: z.boolean(),
});

/** Connects Stripe with an API key (checked with one read, stored encrypted); answers the webhook URL to register. */
export const connectStripe = defineHandler<typeof connections.ConnectStripeInput, typeof Output, AppServices>({
  name: 'connectStripe',
  input: connections.ConnectStripeInput,
  output: Output,
  handle: (input, ctx) => {
    const platform = ctx.services.platform;
    if (!platform) throw new DomainError('conflict', 'Stripe cannot be connected from this process');
    return connections.connectStripe(ctx, input, {
      box: platform.box,
      publicBaseUrl: platform.publicBaseUrl,
      ...(platform.stripeApiBaseUrl ? { stripeApiBaseUrl: platform.stripeApiBaseUrl } : {}),
    });
  },
});
