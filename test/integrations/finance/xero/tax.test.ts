import { describe, expect, it } from '@jest/globals';
import { money } from '../../../../src/core/money.js';
import type { FinanceError, InvoiceDraft } from '../../../../src/integrations/finance/port.js';
import { createXeroFinanceSystem } from '../../../../src/integrations/finance/xero/adapter.js';
import { XERO_UK_TAX_RATES } from '../../../../src/integrations/finance/xero/fixtures.js';
import { createXeroSandbox } from '../../../../src/integrations/finance/xero/sandbox/index.js';

function setup() {
  const sandbox = createXeroSandbox({
    now: () => new Date('2026-03-02T09:00:00Z'),
    taxRates: XERO_UK_TAX_RATES,
    tenants: [{ tenantId: '0e2b0000-0000-4000-8000-000000000001', name: 'Brixton Ltd', baseCurrency: 'GBP' }],
  });
  const xero = createXeroFinanceSystem({
    tenantId: sandbox.tenantId,
    accessToken: async () => sandbox.accessToken,
    salesAccountCode: '200',
    fetch: (url, init) => sandbox.handle(new Request(url, init)),
  });
  return { sandbox, xero };
}

const gbp = (n: number) => money(n, 'GBP');

async function draft(xero: ReturnType<typeof setup>['xero'], lines: InvoiceDraft['lines']): Promise<InvoiceDraft> {
  const c = await xero.createCustomer(
    { legalName: 'Camden Labs', currency: 'GBP', paymentTerms: 'net_30', externalRef: 'hs-company-9' },
    'k-c',
  );
  return {
    customerId: c.id,
    reference: 'rh-vat-1',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    currency: 'GBP',
    paymentTerms: 'net_30',
    status: 'draft',
    lines,
  };
}

describe('Xero tax per line item', () => {
  it('reads the organisation’s revenue tax rates', async () => {
    const { xero } = setup();
    const s = await xero.taxSetup?.();
    expect(s).toMatchObject({ mode: 'codes', rounding: 'per_line', mixedInclusive: false });
    expect(s?.codes.map((c) => [c.code, c.ratePercent])).toEqual([
      ['OUTPUT2', 20],
      ['RROUTPUT', 5],
      ['ZERORATEDOUTPUT', 0],
      ['EXEMPTOUTPUT', 0],
      ['NONE', 0],
    ]);
  });

  it('puts each line’s TaxType on it and Xero rounds the tax on each line', async () => {
    const { xero, sandbox } = setup();
    const vat = { code: 'OUTPUT2', ratePercent: 20, inclusive: false };
    const d = await draft(xero, [
      { description: 'Platform', quantity: 1, unitAmount: gbp(1_03), amount: gbp(1_03), tax: vat },
      { description: 'Seats', quantity: 1, unitAmount: gbp(1_03), amount: gbp(1_03), tax: vat },
      {
        description: 'Books',
        quantity: 1,
        unitAmount: gbp(50_00),
        amount: gbp(50_00),
        tax: { code: '5% (VAT on Income)', ratePercent: 5, inclusive: false },
      },
    ]);
    const created = await xero.createInvoice(d, 'k-i');
    // Per line: 21p + 21p + £2.50 (QuickBooks, once per rate, would charge 41p on the first two).
    expect(created.total).toEqual(gbp(52_06 + 2_92));
    const put = sandbox.calls.find((c) => c.operation === 'createInvoices');
    const body = put?.requestBody as {
      Invoices: Array<{ LineAmountTypes: string; LineItems: Array<{ TaxType: string }> }>;
    };
    expect(body.Invoices[0]?.LineAmountTypes).toBe('Exclusive');
    expect(body.Invoices[0]?.LineItems.map((l) => l.TaxType)).toEqual(['OUTPUT2', 'OUTPUT2', 'RROUTPUT']);
  });

  it('refuses a TaxType the organisation lacks before writing the invoice, naming the nearest rates', async () => {
    const { xero, sandbox } = setup();
    const d = await draft(xero, [
      {
        description: 'Platform',
        quantity: 1,
        unitAmount: gbp(100),
        amount: gbp(100),
        tax: { code: 'OUTPUT', ratePercent: 20, inclusive: false },
      },
    ]);
    const e = (await xero.createInvoice(d, 'k-bad').catch((x: unknown) => x)) as FinanceError;
    expect(e.kind).toBe('validation');
    expect(e.vendorMessage).toMatch(
      /TaxType "OUTPUT" is not one of this organisation's tax rates; the nearest: OUTPUT2/,
    );
    expect(sandbox.calls.some((c) => c.operation === 'createInvoices')).toBe(false);
  });

  it('takes inclusive prices as LineAmountTypes Inclusive', async () => {
    const { xero } = setup();
    const d = await draft(xero, [
      {
        description: 'Platform',
        quantity: 1,
        unitAmount: gbp(120_00),
        amount: gbp(120_00),
        tax: { code: 'OUTPUT2', ratePercent: 20, inclusive: true },
      },
    ]);
    const created = await xero.createInvoice(d, 'k-incl');
    expect(created.total).toEqual(gbp(120_00));
  });
});
