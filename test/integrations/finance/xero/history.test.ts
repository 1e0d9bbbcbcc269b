import { describe, expect, it } from '@jest/globals';
import { createXeroFinanceSystem } from '../../../../src/integrations/finance/xero/adapter.js';
import { createXeroSandbox } from '../../../../src/integrations/finance/xero/sandbox/index.js';
import { xeroChangedBy } from '../../../../src/integrations/finance/xero/xero-history.js';

const at = (iso: string) => `/Date(${Date.parse(iso)}+0000)/`;

describe('who changed a Xero record (History)', () => {
  it('is the user of the newest line at or before the change, and nobody for Xero’s own changes', () => {
    const records = [
      { Changes: 'Created', User: 'Revenue Handoff', DateUTC: at('2026-11-01T09:00:00Z') },
      { Changes: 'Updated', User: 'Priya Shah', DateUTC: at('2026-11-03T09:00:00Z') },
      { Changes: 'Updated', User: 'Sam Okafor', DateUTC: at('2026-11-05T09:00:00Z') },
    ];
    expect(xeroChangedBy(records, null)).toBe('Sam Okafor');
    expect(xeroChangedBy(records, new Date('2026-11-03T09:00:01Z'))).toBe('Priya Shah');
    expect(xeroChangedBy(records, new Date('2026-10-01T00:00:00Z'))).toBeNull();
    expect(
      xeroChangedBy([{ Changes: 'Updated', User: 'System Generated', DateUTC: at('2026-11-03T09:00:00Z') }], null),
    ).toBeNull();
    expect(xeroChangedBy([{ Changes: 'Updated', User: 'Priya Shah' }], null)).toBeNull();
    expect(xeroChangedBy([], null)).toBeNull();
  });

  it('reads the sandbox’s History of a contact edited by hand, and of one only the app wrote', async () => {
    let clock = new Date('2026-11-01T09:00:00Z');
    const sandbox = createXeroSandbox({ now: () => clock });
    const xero = createXeroFinanceSystem({
      tenantId: sandbox.tenantId,
      accessToken: async () => sandbox.accessToken,
      salesAccountCode: '200',
      fetch: (url: URL, init: RequestInit) => sandbox.handle(new Request(url, init)),
    });
    const created = await xero.createCustomer(
      { legalName: 'Acme Ltd', email: 'ap@acme.test', currency: 'USD', paymentTerms: 'net_30', externalRef: 'c-1' },
      'k-1',
    );
    expect(await xero.whoChanged?.({ kind: 'customer', id: created.id }, null)).toBe('Revenue Handoff');
    clock = new Date('2026-11-03T09:00:00Z');
    sandbox.setContactTerms(created.id, 'net_45', 'Priya Shah');
    expect(await xero.whoChanged?.({ kind: 'customer', id: created.id }, clock)).toBe('Priya Shah');
    await expect(
      xero.whoChanged?.({ kind: 'invoice', id: '00000000-0000-4000-8000-000000000000' }, null),
    ).rejects.toThrow(/cannot be found/);
  });
});
