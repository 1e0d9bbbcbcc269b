import { describe, expect, it } from '@jest/globals';
import {
  acceptIntoBaseline,
  type BaselineInvoice,
  type BaselineLine,
  correctionFieldLabel,
  correctionText,
  diffBaseline,
  handoffFieldOf,
  lineSubject,
  type SyncedBaseline,
  type VendorReading,
  withFirstSight,
} from '../../src/corrections/detect.js';

const address = { line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' };
const synced: SyncedBaseline = {
  customer: { legalName: 'Acme Ltd', email: 'ap@acme.example', address, paymentTerms: 'net_30' },
  invoices: {
    'inv-1': {
      number: 'INV-1',
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      total: { amount: 100_000, currency: 'USD' },
    },
  },
};
const same = (): VendorReading => structuredClone(synced) as VendorReading;
const usd = (amount: number) => ({ amount, currency: 'USD' });
const setup: BaselineLine = {
  description: 'Setup fee',
  quantity: 1,
  unitAmount: usd(100_00),
  amount: usd(100_00),
  taxCode: null,
};
const support: BaselineLine = {
  description: 'Support',
  quantity: 1,
  unitAmount: usd(500_00),
  amount: usd(500_00),
  taxCode: null,
};

describe('diffBaseline', () => {
  it('finds nothing when the finance system holds what we synced (spacing and email case aside)', () => {
    const r = same();
    if (r.customer) {
      r.customer.legalName = ' Acme  Ltd ';
      r.customer.email = 'AP@Acme.example';
      r.customer.address = { ...address, city: 'springfield ' };
    }
    expect(diffBaseline(synced, r)).toEqual([]);
  });

  it('reports each edited field once with before and after, customer first, with who and when', () => {
    const r = same();
    const at = new Date('2026-11-03T09:00:00Z');
    r.customer = {
      legalName: 'Acme Holdings Ltd',
      email: 'payables@acme.example',
      address: { ...address, line1: '9 Elm Rd' },
      paymentTerms: 'net_45',
      updatedAt: at,
      updatedBy: 'Jo Bloggs',
    };
    const inv = r.invoices['inv-1'];
    if (inv) {
      inv.dueDate = '2026-04-15';
      inv.total = { amount: 90_000, currency: 'USD' };
    }
    const found = diffBaseline(synced, r);
    expect(found.map((c) => [c.field, c.before, c.after])).toEqual([
      ['legalName', 'Acme Ltd', 'Acme Holdings Ltd'],
      ['billingEmail', 'ap@acme.example', 'payables@acme.example'],
      ['billingAddress', address, { ...address, line1: '9 Elm Rd' }],
      ['paymentTerms', 'net_30', 'net_45'],
      ['invoiceTotal', { amount: 100_000, currency: 'USD' }, { amount: 90_000, currency: 'USD' }],
      ['invoiceDueDate', '2026-03-31', '2026-04-15'],
    ]);
    expect(found[0]).toMatchObject({ subject: 'customer', vendorUpdatedAt: at, by: 'Jo Bloggs' });
    expect(found[5]).toMatchObject({ subject: 'inv-1', subjectLabel: 'INV-1' });
  });

  it('reports terms set to something our codes cannot express as "other"', () => {
    const r = same();
    if (r.customer) r.customer.paymentTerms = null;
    expect(diffBaseline(synced, r)).toEqual([expect.objectContaining({ field: 'paymentTerms', after: 'other' })]);
  });

  it('does not report an invoice that is no longer listed (voided or deleted)', () => {
    expect(diffBaseline(synced, { ...same(), invoices: {} })).toEqual([]);
  });

  it('reports an edited PO number and each edited, added or removed line by its position', () => {
    const withLines = structuredClone(synced);
    (withLines.invoices['inv-1'] as BaselineInvoice).poNumber = 'PO-1';
    (withLines.invoices['inv-1'] as BaselineInvoice).lines = [setup, support];
    const r = structuredClone(withLines) as VendorReading;
    const inv = r.invoices['inv-1'] as BaselineInvoice;
    inv.poNumber = 'PO-2';
    inv.lines = [
      { ...setup, description: ' Setup  fee ' },
      { ...support, unitAmount: usd(450_00), amount: usd(450_00) },
    ];
    expect(diffBaseline(withLines, r).map((c) => [c.subject, c.field, c.before, c.after])).toEqual([
      ['inv-1', 'invoicePoNumber', 'PO-1', 'PO-2'],
      ['inv-1/line/2', 'invoiceLine', support, { ...support, unitAmount: usd(450_00), amount: usd(450_00) }],
    ]);
    inv.poNumber = null;
    inv.lines = [setup, support, { ...support, description: 'Training', taxCode: 'NON' }];
    expect(diffBaseline(withLines, r).map((c) => [c.subject, c.field, c.after])).toEqual([
      ['inv-1', 'invoicePoNumber', null],
      ['inv-1/line/3', 'invoiceLine', { ...support, description: 'Training', taxCode: 'NON' }],
    ]);
    inv.lines = [setup];
    expect(diffBaseline(withLines, r).at(-1)).toMatchObject({ subject: 'inv-1/line/2', before: support, after: null });
    inv.lines = [setup, { ...support, taxCode: 'NON' }];
    expect(diffBaseline(withLines, r).at(-1)).toMatchObject({ subject: 'inv-1/line/2', field: 'invoiceLine' });
  });

  it('does not compare a PO number or lines that the baseline or the reading does not carry', () => {
    const r = same();
    const inv = r.invoices['inv-1'] as BaselineInvoice;
    inv.poNumber = 'PO-9';
    inv.lines = [support];
    expect(diffBaseline(synced, r)).toEqual([]);
    const withLines = structuredClone(synced);
    (withLines.invoices['inv-1'] as BaselineInvoice).lines = [support];
    expect(diffBaseline(withLines, same())).toEqual([]);
  });
});

describe('the baseline', () => {
  it('takes an accepted PO number or line as the new truth, so the same reading reports nothing more', () => {
    const withLines = structuredClone(synced);
    (withLines.invoices['inv-1'] as BaselineInvoice).poNumber = 'PO-1';
    (withLines.invoices['inv-1'] as BaselineInvoice).lines = [setup, support];
    const r = structuredClone(withLines) as VendorReading;
    const inv = r.invoices['inv-1'] as BaselineInvoice;
    inv.poNumber = 'PO-2';
    inv.lines = [{ ...setup, quantity: 2, amount: usd(200_00) }];
    let next = withLines;
    for (const c of diffBaseline(withLines, r)) next = acceptIntoBaseline(next, c);
    expect(next.invoices['inv-1']).toMatchObject({
      poNumber: 'PO-2',
      lines: [{ ...setup, quantity: 2, amount: usd(200_00) }],
    });
    expect(diffBaseline(next, r)).toEqual([]);
    expect(withLines.invoices['inv-1']?.lines).toHaveLength(2);
  });

  it('a baseline stored before PO numbers and lines were compared takes them at first sight, without a report', () => {
    const r = same();
    const inv = r.invoices['inv-1'] as BaselineInvoice;
    inv.poNumber = 'PO-1';
    inv.lines = [support];
    const next = withFirstSight(synced, r, new Set(['inv-1']));
    expect(next.invoices['inv-1']).toMatchObject({ poNumber: 'PO-1', lines: [support] });
    inv.poNumber = 'PO-2';
    expect(diffBaseline(next, r)).toEqual([expect.objectContaining({ field: 'invoicePoNumber', before: 'PO-1' })]);
    // What it already holds is never overwritten.
    expect(withFirstSight(next, r, new Set(['inv-1'])).invoices['inv-1']?.poNumber).toBe('PO-1');
  });

  it('takes an accepted correction as the new truth and counts the revision', () => {
    const next = acceptIntoBaseline(synced, { subject: 'customer', field: 'paymentTerms', after: 'net_45' });
    expect(next.customer?.paymentTerms).toBe('net_45');
    expect(next.revision).toBe(1);
    expect(synced.customer?.paymentTerms).toBe('net_30');
    const r = same();
    if (r.customer) r.customer.paymentTerms = 'net_45';
    expect(diffBaseline(next, r)).toEqual([]);
  });

  it('first sight adds our new invoices and nothing else, and never overwrites what it holds', () => {
    const r = same();
    r.invoices['inv-2'] = {
      number: 'INV-2',
      issueDate: '2026-04-01',
      dueDate: '2026-05-01',
      total: { amount: 100_000, currency: 'USD' },
    };
    r.invoices['by-hand'] = { ...r.invoices['inv-2'], number: 'X-1' };
    if (r.customer) r.customer.paymentTerms = 'net_60';
    const next = withFirstSight(synced, r, new Set(['inv-1', 'inv-2']));
    expect(Object.keys(next.invoices).sort()).toEqual(['inv-1', 'inv-2']);
    expect(next.customer?.paymentTerms).toBe('net_30');
  });
});

describe('correctionText', () => {
  it('says what changed where and when, in the portal zone', () => {
    const c = { field: 'paymentTerms' as const, before: 'net_30', after: 'net_45', subjectLabel: null };
    expect(correctionText(c, 'xero', new Date('2026-11-03T09:00:00Z'), 'UTC')).toBe(
      'Payment terms changed in Xero on 3 Nov: Net 30 → Net 45',
    );
    // 23:30 UTC on 2 Nov is already 3 Nov in Berlin.
    expect(correctionText(c, 'xero', new Date('2026-11-02T23:30:00Z'), 'Europe/Berlin')).toContain('on 3 Nov');
  });

  it('names the invoice, the person where the vendor says, and formats money, addresses and empties', () => {
    expect(
      correctionText(
        {
          field: 'invoiceTotal',
          before: { amount: 100_000, currency: 'USD' },
          after: { amount: 90_000, currency: 'USD' },
          subjectLabel: 'INV-1',
          by: 'Jo Bloggs',
        },
        'quickbooks',
        new Date('2026-06-01T12:00:00Z'),
        'UTC',
      ),
    ).toBe('Invoice total of INV-1 changed in QuickBooks by Jo Bloggs on 1 Jun: $1,000.00 → $900.00');
    expect(
      correctionText(
        { field: 'billingAddress', before: null, after: address, subjectLabel: null },
        'stripe',
        new Date('2026-06-01T12:00:00Z'),
        'UTC',
      ),
    ).toBe('Billing address changed in Stripe on 1 Jun: (none) → 1 Main St, Springfield, IL 62701, US');
  });

  it('names an edited PO number and an edited line by its position in the invoice', () => {
    const at = new Date('2026-11-03T09:00:00Z');
    expect(
      correctionText(
        { field: 'invoicePoNumber', before: 'PO-1', after: 'PO-2', subjectLabel: 'INV-0003' },
        'xero',
        at,
        'UTC',
      ),
    ).toBe('PO number of INV-0003 changed in Xero on 3 Nov: PO-1 → PO-2');
    const line = {
      field: 'invoiceLine' as const,
      subject: lineSubject('130', 2),
      subjectLabel: 'INV-0003',
      before: support,
      after: { ...support, unitAmount: usd(450_00), amount: usd(450_00) },
    };
    expect(correctionText(line, 'quickbooks', at, 'UTC')).toBe(
      'Line 2 of INV-0003 changed in QuickBooks on 3 Nov: Support: 1 × $500.00 → Support: 1 × $450.00',
    );
    expect(
      correctionText(
        { ...line, before: null, after: { ...support, quantity: 3, amount: usd(1_400_00), taxCode: 'TAX' } },
        'quickbooks',
        at,
        'UTC',
      ),
    ).toBe('Line 2 of INV-0003 changed in QuickBooks on 3 Nov: (none) → Support: 3 × $500.00 = $1,400.00, tax TAX');
    expect(correctionFieldLabel('invoiceLine')).toBe('Invoice line');
    expect(correctionFieldLabel('somethingElse')).toBe('somethingElse');
  });
});

describe('adopting', () => {
  it('maps customer fields onto handoff fields; invoice fields have none', () => {
    expect(handoffFieldOf('paymentTerms')).toBe('paymentTerms');
    expect(handoffFieldOf('legalName')).toBe('billingEntityLegalName');
    expect(handoffFieldOf('billingEmail')).toBe('billingContact');
    expect(handoffFieldOf('invoiceDueDate')).toBeNull();
    expect(handoffFieldOf('invoicePoNumber')).toBe('poNumber');
    expect(handoffFieldOf('invoiceLine')).toBeNull();
  });
});
