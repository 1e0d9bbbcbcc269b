import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { completeSalesData } from '../handoff/fixtures.js';
import { jsonErrorProblems } from '../support/answers.js';
import { signedPost } from '../support/signed.js';
import { PORTAL_A, snapshot, startWholeApp, USERS, type WholeApp } from '../support/whole-app.js';

/**
 * Roles decide who may act, and a refusal is a 403 with a message that says which role or team is needed, with
 * nothing changed. The roles come from the portal's settings, looked up by the user id HubSpot signed into the
 * request — so a user cannot grant themselves a role, and a user nobody listed has only the default role (sales).
 * Each refusal is paired with the permitted user doing the same, which succeeds.
 */

const STRANGER = '9999';

describe('roles', () => {
  let w: WholeApp;
  let dealId: string;
  let handoffId: string;

  const call = (name: string, body: unknown, userId: string, userEmail?: string) =>
    signedPost(w.app, `/api/${name}`, body, { portalId: PORTAL_A, userId, ...(userEmail ? { userEmail } : {}) });
  const view = async (userId: string = USERS.rep) => (await call('getHandoffView', { dealId }, userId)).body;

  /** A refused action: 403, a readable message naming what is needed, and not one row or HubSpot record changed. */
  async function expectRefused(name: string, body: unknown, userId: string, needs: RegExp) {
    const before = await snapshot(w.db);
    const calls = w.hubspot.calls.length;
    const res = await call(name, body, userId);
    const label = `${name} as ${userId}`;
    expect([label, res.status]).toEqual([label, 403]);
    expect([label, jsonErrorProblems(res)]).toEqual([label, []]);
    expect([label, res.body.code, needs.test(res.body.message)]).toEqual([label, 'forbidden', true]);
    expect(await snapshot(w.db)).toEqual(before);
    const writes = w.hubspot.calls
      .slice(calls)
      .filter((c) => c.method !== 'GET' && !/\/(batch\/read|search)$/.test(c.path));
    expect([label, writes]).toEqual([label, []]);
  }

  beforeAll(async () => {
    w = await startWholeApp();
    const companyId = w.hubspot.addCompany({ name: 'Roles Inc' });
    dealId = w.hubspot.addDeal({
      dealname: 'Roles deal',
      dealstage: 'closedwon',
      amount: '1000',
      deal_currency_code: 'USD',
    });
    w.hubspot.associate('deals', dealId, 'companies', companyId);
    const sales = (await view()).handoffs[0];
    handoffId = sales.id;
    const saved = await call(
      'saveHandoffFields',
      { dealId, handoffId, revision: sales.revision, values: completeSalesData },
      USERS.rep,
    );
    expect(saved.status).toBe(200);
    const submitted = await call(
      'submitHandoff',
      { dealId, handoffId, revision: saved.body.handoffs[0].revision },
      USERS.rep,
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body.handoffs[0].state).toBe('submitted');
  }, 60_000);
  afterAll(() => w.stop());

  it.each([USERS.rep, USERS.finance, USERS.revops, STRANGER])(
    'user %s, not on the receiving team, can neither accept nor reject the Sales → CS handoff',
    async (userId) => {
      const h = (await view(userId)).handoffs[0];
      expect(h.can.review).toBe(false);
      for (const action of [{ type: 'accept' }, { type: 'reject', reason: 'other', note: 'Not complete' }]) {
        await expectRefused(
          'reviewHandoff',
          { dealId, handoffId, revision: h.revision, action },
          userId,
          /receiving team \(customer_success\)/,
        );
      }
    },
  );

  it('a user cannot claim a role by email: the roles come from the signed user id only', async () => {
    const h = (await view()).handoffs[0];
    const res = await call(
      'reviewHandoff',
      { dealId, handoffId, revision: h.revision, action: { type: 'accept' } },
      USERS.rep,
      'csm@roles.example',
    );
    expect(res.status).toBe(403);
  });

  it('only someone with the exception-owner role (revops), other than the requester, decides an exception', async () => {
    const requested = await call(
      'requestException',
      { dealId, handoffId, reason: 'The kickoff notes come next week', waives: ['kickoffDate'] },
      USERS.rep,
    );
    expect(requested.status).toBe(200);
    const exceptionId = requested.body.handoffs[0].exceptions.at(-1).id;
    for (const userId of [USERS.rep, USERS.csm, USERS.finance, STRANGER]) {
      for (const decision of [{ decision: 'approve' }, { decision: 'deny', note: 'Fix it first' }]) {
        await expectRefused(
          'decideException',
          { dealId, exceptionId, ...decision },
          userId,
          /only someone with the revops role/i,
        );
      }
    }
    // RevOps may decide someone else's request…
    const ok = await call(
      'decideException',
      { dealId, exceptionId, decision: 'deny', note: 'Ask again' },
      USERS.revops,
    );
    expect(ok.status).toBe(200);
    // …but never approve their own.
    const own = await call(
      'requestException',
      { dealId, handoffId, reason: 'Signed with a side letter', waives: ['supportExpectations'] },
      USERS.revops,
    );
    const ownId = own.body.handoffs[0].exceptions.at(-1).id;
    await expectRefused(
      'decideException',
      { dealId, exceptionId: ownId, decision: 'approve' },
      USERS.revops,
      /cannot approve it yourself/,
    );
  });

  it.each([USERS.rep, USERS.csm, USERS.finance, STRANGER])(
    'user %s cannot change the settings or a template, nor grant themselves RevOps',
    async (userId) => {
      const grantSelf = {
        settings: { users: { [userId]: { roles: ['revops'], teams: ['revops'] } }, defaultRoles: ['revops'] },
      };
      await expectRefused('saveSettings', grantSelf, userId, /only revops/i);
      await expectRefused('saveSettings', { settings: { timeZone: 'Europe/Berlin' } }, userId, /only revops/i);
      await expectRefused(
        'saveTemplate',
        { template: { ...JSON.parse(JSON.stringify(DEFAULT_CS_TO_FINANCE)), exceptionOwnerRole: 'sales' } },
        userId,
        /only revops/i,
      );
      // Still not RevOps afterwards.
      const settings = await call('getSettings', {}, userId);
      expect(settings.status).toBe(200);
      expect(settings.body.connectUrls).toEqual({ quickbooks: null, xero: null, stripe: null });
      expect((await view(userId)).user.roles).not.toContain('revops');
    },
  );

  it('only finance or revops connect a finance system or cancel a held invoice; sales cannot record a milestone', async () => {
    const stripe = { secretKey: 'sk_test_wellformedbutnotchecked', accountId: 'acct_roles' };
    for (const userId of [USERS.rep, USERS.csm, STRANGER]) {
      await expectRefused('connectStripe', stripe, userId, /only finance or revops/i);
      await expectRefused(
        'cancelScheduledInvoice',
        { dealId, handoffId, invoiceKey: 'c0-m:m1', reason: 'not mine to cancel' },
        userId,
        /only finance, revops/i,
      );
    }
    for (const userId of [USERS.rep, STRANGER]) {
      await expectRefused(
        'markMilestoneAccepted',
        { dealId, handoffId, milestoneId: 'm1' },
        userId,
        /only customer_success, finance, revops/i,
      );
    }
  });

  it('RevOps can change the settings (the refusals above are about the role, not the request)', async () => {
    const res = await call('saveSettings', { settings: { issueLeadDays: 2 } }, USERS.revops);
    expect(res.status).toBe(200);
    expect(res.body.settings.issueLeadDays).toBe(2);
  });

  it('the receiving team (customer success) can accept it', async () => {
    const h = (await view(USERS.csm)).handoffs[0];
    expect(h.can.review).toBe(true);
    const res = await call(
      'reviewHandoff',
      { dealId, handoffId, revision: h.revision, action: { type: 'accept' } },
      USERS.csm,
    );
    expect(res.status).toBe(200);
    expect(res.body.handoffs[0].state).toBe('accepted');
  });
});
