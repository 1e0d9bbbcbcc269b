import { randomUUID } from 'node:crypto';
import type { HandlerContext } from '../../serverless/handler.js';
import { connectStripe } from '../../src/app/finance-connections.js';
import type { AppServices } from '../../src/app/services.js';
import { createLogger } from '../../src/server/logger.js';
import { financeStore } from '../../src/store/finance-store.js';
import { TEST_BASE_URL } from './signed.js';
import { APP_ID, USERS, type WholeApp } from './whole-app.js';

/**
 * Genuine-looking deliveries for every webhook route (each call a new event, so an accepted one is stored) and
 * helpers that connect finance systems to a portal, for the security and fuzzing suites.
 */

let n = 0;
const next = () => ++n + Math.floor(Math.random() * 1e6) * 1000;

/** One HubSpot deal stage change (a new event each call). */
export function hubspotEvent(portalId: number, dealId: string, stage = 'closedwon') {
  const id = next();
  return {
    eventId: id,
    subscriptionId: 11,
    portalId,
    appId: Number(APP_ID),
    occurredAt: Date.now() - 1000 + (id % 1000),
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    objectId: Number(dealId),
    propertyName: 'dealstage',
    propertyValue: stage,
    changeSource: 'CRM_UI',
    sourceId: `userId:${USERS.rep}`,
  };
}

/** A QuickBooks CloudEvents delivery about one invoice of a realm. */
export function quickbooksBody(realmId: string, invoiceId = String(next())): string {
  return JSON.stringify([
    {
      specversion: '1.0',
      id: randomUUID(),
      source: 'intuit.test',
      type: 'qbo.invoice.updated.v1',
      datacontenttype: 'application/json',
      time: new Date().toISOString(),
      intuitentityid: invoiceId,
      intuitaccountid: realmId,
    },
  ]);
}

/** A Xero delivery about one invoice of an organisation. */
export function xeroBody(tenantId: string, invoiceId: string = randomUUID()): string {
  return JSON.stringify({
    events: [
      {
        resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${invoiceId}`,
        resourceId: invoiceId,
        eventDateUtc: new Date(Date.now() - (next() % 100_000)).toISOString(),
        eventType: 'UPDATE',
        eventCategory: 'INVOICE',
        tenantId,
        tenantType: 'ORGANISATION',
      },
    ],
    firstEventSequence: 1,
    lastEventSequence: 1,
    entropy: randomUUID(),
  });
}

/** A Stripe event about one invoice, optionally of a connected account. */
export function stripeBody(account?: string): string {
  const id = `in_${randomUUID().replaceAll('-', '')}`;
  return JSON.stringify({
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    type: 'invoice.paid',
    livemode: false,
    pending_webhooks: 1,
    ...(account ? { account } : {}),
    data: { object: { id, object: 'invoice', customer: 'cus_test', status: 'paid' } },
  });
}

/** A finance admin's handler context in a portal (for the app functions that are not behind /api). */
export async function adminContext(w: WholeApp, portalId: number): Promise<HandlerContext<AppServices>> {
  return {
    portalId,
    user: { id: USERS.finance, roles: ['finance'], teams: ['finance'] },
    now: new Date(),
    logger: createLogger('silent'),
    services: await w.runtime.services(portalId),
  };
}

/** Connects QuickBooks (the sandbox's realm) to a portal directly in the store. */
export async function connectQuickBooks(w: WholeApp, portalId: number): Promise<string> {
  const refreshToken = `qbo-refresh-${randomUUID()}`;
  w.seededTokens.push(refreshToken);
  await financeStore(w.db, portalId).connections.connect({
    system: 'quickbooks',
    tenantId: w.qbo.realmId,
    box: w.box,
    tokens: {
      accessToken: w.qbo.accessToken,
      refreshToken,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  return w.qbo.realmId;
}

/** Connects Xero (the sandbox's organisation) to a portal directly in the store. */
export async function connectXero(w: WholeApp, portalId: number): Promise<string> {
  const refreshToken = `xero-refresh-${randomUUID()}`;
  w.seededTokens.push(refreshToken);
  await financeStore(w.db, portalId).connections.connect({
    system: 'xero',
    tenantId: w.xero.tenantId,
    box: w.box,
    tokens: {
      accessToken: w.xero.accessToken,
      refreshToken,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  return w.xero.tenantId;
}

/**
 * Connects Stripe to a portal the way the settings page does (connectStripe: key checked against the sandbox,
 * stored encrypted, a per-connection webhook endpoint with its own signing secret).
 */
export async function connectStripeAccount(
  w: WholeApp,
  portalId: number,
  accountId = `acct_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
): Promise<{ connectionId: string; secret: string; accountId: string }> {
  const secret = `whsec_${randomUUID().replaceAll('-', '')}`;
  const connected = await connectStripe(
    await adminContext(w, portalId),
    { secretKey: w.secrets.stripeApiKey, accountId, webhookSecret: secret },
    { box: w.box, publicBaseUrl: TEST_BASE_URL },
  );
  const connectionId = connected.webhookUrl.split('/').at(-1) as string;
  return { connectionId, secret, accountId };
}
