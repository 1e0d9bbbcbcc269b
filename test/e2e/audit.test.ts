import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MonthlyAuditViewSchema } from '../../src/api/contracts.js';
import { financeStore } from '../../src/store/finance-store.js';
import { type Backend, PORTAL, startBackend } from '../support/backend.js';
import { signedPost } from '../support/signed.js';

const SALES = '1001';
const FINANCE = '3003';
const REVOPS = '4004';

describe('getMonthlyAudit through the signed card API', () => {
  let b: Backend;
  beforeAll(async () => {
    b = await startBackend();
    const facts = financeStore(b.db, PORTAL).facts;
    await facts.append('manual_correction', 'd1', new Date('2026-03-03T10:00:00Z'), {
      system: 'xero',
      field: 'paymentTerms',
    });
  }, 60_000);
  afterAll(() => b.stop());

  const post = (body: unknown, userId = REVOPS) =>
    signedPost(b.app, '/api/getMonthlyAudit', body, { portalId: PORTAL, userId });

  it('answers the month as JSON the contract accepts, for RevOps and finance', async () => {
    for (const user of [REVOPS, FINANCE]) {
      const res = await post({ month: '2026-03' }, user);
      expect(res.status).toBe(200);
      const audit = MonthlyAuditViewSchema.parse(res.body);
      expect(audit.month).toBe('2026-03');
      expect(audit.manualCorrections.bySystem).toEqual([{ key: 'xero', count: 1 }]);
    }
  });

  it('is refused to sales with a 403 that says who may read it', async () => {
    const res = await post({ month: '2026-03' }, SALES);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/finance or RevOps/);
  });

  it('refuses a month that is not one, naming the field, the value and the format', async () => {
    const res = await post({ month: '2026-13' });
    expect(res.status).toBe(400);
    expect(res.body.path).toBe('month');
    expect(res.body.message).toContain('"2026-13"');
    expect(res.body.message).toContain('YYYY-MM');
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(missing.body.path).toBe('month');
  });
});
