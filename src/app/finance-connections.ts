import { z } from 'zod';
import type { HandlerContext } from '../../serverless/handler.js';
import { ConnectStripeInput } from '../api/contracts.js';
import { DomainError } from '../core/errors.js';
import { parseStripeError, stripeFromKey } from '../integrations/finance/stripe/index.js';
import { financeStore } from '../store/finance-store.js';
import { createOAuthState } from '../store/oauth-states.js';
import type { SecretBox } from '../store/secrets.js';
import type { AppServices } from './services.js';

type Ctx = HandlerContext<AppServices>;

/** Who may connect or change the portal's finance system. */
const ADMIN_ROLES = ['finance', 'revops'];

function requireAdmin(ctx: Ctx, what: string): void {
  if (!ctx.user.roles.some((r) => ADMIN_ROLES.includes(r))) {
    throw new DomainError('forbidden', `Only finance or revops may ${what}`);
  }
}

export const StartFinanceConnectInput = z.object({ system: z.enum(['quickbooks', 'xero']) });

/**
 * A one-time link (valid 15 minutes) that starts the OAuth flow for QuickBooks or Xero, bound to the caller's
 * portal: the card opens it in a new tab. The state is created here, behind HubSpot's request signature, because a
 * link that names a portal in plain text would let anyone attach their books to someone else's portal.
 * @example await startFinanceConnect(ctx, { system: 'xero' }, { publicBaseUrl }) // { url: 'https://…/oauth/xero/connect?state=…' }
 */
export async function startFinanceConnect(
  ctx: Ctx,
  input: z.output<typeof StartFinanceConnectInput>,
  options: { publicBaseUrl: string },
): Promise<{ url: string; expiresAt: string }> {
  requireAdmin(ctx, 'connect a finance system');
  const ttlMs = 15 * 60_000;
  const state = await createOAuthState(ctx.services.store.db, {
    purpose: `connect:${input.system}`,
    portalId: ctx.portalId,
    now: ctx.now,
    ttlMs,
  });
  const url = new URL(`${options.publicBaseUrl.replace(/\/$/, '')}/oauth/${input.system}/connect`);
  url.searchParams.set('state', state);
  return { url: url.toString(), expiresAt: new Date(ctx.now.getTime() + ttlMs).toISOString() };
}

/** Stripe keys do not expire; the vault wants a date, so the far future. */
const NEVER = new Date('9999-12-31T00:00:00Z');

/**
 * Connects Stripe with an API key: checks the key with one cheap read (a refused key is a 400, not a stored
 * connection that fails later), stores it encrypted as the connection's access token, and answers the webhook URL
 * to register in Stripe for this connection.
 * @example await connectStripe(ctx, { secretKey: 'sk_test_…', webhookSecret: 'whsec_…' }, { box, publicBaseUrl })
 */
export async function connectStripe(
  ctx: Ctx,
  input: z.input<typeof ConnectStripeInput>,
  options: { box: SecretBox; publicBaseUrl: string; stripeApiBaseUrl?: string },
): Promise<{ system: 'stripe'; tenantId: string; webhookUrl: string; livemode: boolean }> {
  requireAdmin(ctx, 'connect a finance system');
  const parsed = ConnectStripeInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError('invalid_input', issue?.message ?? 'is invalid', String(issue?.path[0] ?? 'secretKey'));
  }
  const { secretKey, accountId, webhookSecret } = parsed.data;
  try {
    const stripe = stripeFromKey(secretKey, options.stripeApiBaseUrl ? { baseUrl: options.stripeApiBaseUrl } : {});
    await stripe.customers.list({ limit: 1 });
  } catch (e) {
    const err = parseStripeError(e);
    if (err.kind === 'auth') {
      throw new DomainError('invalid_input', `Stripe refused this key: ${err.vendorMessage}`, 'secretKey');
    }
    throw new DomainError(
      'conflict',
      `Could not check the key with Stripe (${err.vendorMessage}); try again`,
      'secretKey',
    );
  }
  const connection = await financeStore(ctx.services.store.db, ctx.portalId).connections.connect({
    system: 'stripe',
    tenantId: accountId ?? 'stripe',
    box: options.box,
    tokens: { accessToken: secretKey, expiresAt: NEVER },
    ...(webhookSecret ? { webhookSecret } : {}),
  });
  return {
    system: 'stripe',
    tenantId: connection.tenantId,
    webhookUrl: `${options.publicBaseUrl.replace(/\/$/, '')}/webhooks/stripe/${connection.id}`,
    livemode: secretKey.includes('_live_'),
  };
}

export { ConnectStripeInput };
