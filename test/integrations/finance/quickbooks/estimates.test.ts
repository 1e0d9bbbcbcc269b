import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { money } from '../../../../src/core/money.js';
import type { EstimateDraft, FinanceSystem, InvoiceDraft } from '../../../../src/integrations/finance/port.js';
import { createQuickBooksFinanceSystem } from '../../../../src/integrations/finance/quickbooks/adapter.js';
import {
  estimateDraftToQuickBooks,
  quickbooksEstimateToCreated,
} from '../../../../src/integrations/finance/quickbooks/estimate-draft-to-quickbooks.js';
import { CLOSED_ESTIMATE, OPEN_ESTIMATE } from '../../../../src/integrations/finance/quickbooks/fixtures.js';
import {
  createQuickBooksSandbox,
  type QuickBooksSandbox,
} from '../../../../src/integrations/finance/quickbooks/sandbox/index.js';
import { QBO_STRICT } from '../../../../src/integrations/finance/quickbooks/schemas.js';
import { mockVendors } from '../../../support/msw.js';

const BASE = 'https://sandbox-quickbooks.api.intuit.com';
const clock = new Date('2026-05-15T10:00:00Z');
let qbo: QuickBooksSandbox;
const vendors = mockVendors({ [BASE]: (r) => qbo.handle(r) });
beforeAll(() => vendors.start());
afterAll(() => vendors.stop());

const lines: InvoiceDraft['lines'] = [
  { description: 'Platform', quantity: 1, unitAmount: money(100000, 'USD'), amount: money(100000, 'USD') },
  { description: 'Hours', quantity: 3, unitAmount: money(8350, 'USD'), amount: money(25050, 'USD') },
];

function estimate(customerId: string, over: Partial<EstimateDraft> = {}): EstimateDraft {
  return {
    customerId,
    reference: 'setup-9:c0-p2',
    date: '2026-05-15',
    expirationDate: '2026-06-01',
    currency: 'USD',
    paymentTerms: 'net_30',
    poNumber: 'PO-77',
    lines,
    ...over,
  };
}

function invoice(customerId: string, over: Partial<InvoiceDraft> = {}): InvoiceDraft {
  return {
    customerId,
    reference: 'setup-9:c0-p2',
    issueDate: '2026-06-01',
    dueDate: '2026-07-01',
    currency: 'USD',
    paymentTerms: 'net_30',
    poNumber: 'PO-77',
    status: 'issued',
    lines,
    ...over,
  };
}

describe('QuickBooks estimate mappers', () => {
  it('maps an estimate draft like its invoice, dated the day it is made and expiring on the invoice’s date', () => {
    const body = estimateDraftToQuickBooks(estimate('58'), {
      itemRef: { value: '1', name: 'Services' },
      salesTermRef: { value: '3', name: 'Net 30' },
      poCustomField: { definitionId: '1', name: 'P.O. Number' },
    });
    expect(QBO_STRICT.EstimateCreate.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      CustomerRef: { value: '58' },
      TxnDate: '2026-05-15',
      ExpirationDate: '2026-06-01',
      SalesTermRef: { value: '3' },
      PrivateNote: 'Revenue Handoff estimate ref: setup-9:c0-p2',
      CustomField: [{ DefinitionId: '1', StringValue: 'PO-77' }],
    });
    expect(body.Line.map((l) => l.Amount)).toEqual([1000, 250.5]);
    expect(() => estimateDraftToQuickBooks(estimate('58', { lines: [] }), { itemRef: { value: '1' } })).toThrow(
      'at least one line',
    );
  });

  it('reads an estimate: Pending is open, Closed carries the invoice that converted it', () => {
    const ctx = { appUrl: 'https://app.qbo.intuit.com', homeCurrency: 'USD' };
    expect(quickbooksEstimateToCreated(OPEN_ESTIMATE, ctx)).toEqual({
      id: '41',
      number: '1003',
      url: 'https://app.qbo.intuit.com/app/estimate?txnId=41',
      status: 'open',
      total: money(125050, 'USD'),
    });
    expect(quickbooksEstimateToCreated(CLOSED_ESTIMATE, ctx)).toMatchObject({ status: 'closed', invoiceId: '131' });
    expect(quickbooksEstimateToCreated({ ...OPEN_ESTIMATE, TxnStatus: 'Rejected' }, ctx).status).toBe('rejected');
  });
});

describe('QuickBooks adapter and sandbox: estimates', () => {
  let finance: FinanceSystem;
  let customerId: string;
  beforeEach(async () => {
    qbo = createQuickBooksSandbox({ now: () => clock });
    finance = createQuickBooksFinanceSystem({
      realmId: qbo.realmId,
      accessToken: async () => qbo.accessToken,
      baseUrl: BASE,
      poCustomField: { definitionId: '1', name: 'P.O. Number' },
      now: () => clock,
    });
    customerId = qbo.addCustomer({ DisplayName: 'Acme Ltd', PrimaryEmailAddr: { Address: 'ap@acme.example' } }).Id;
  });

  it('creates a non-posting Estimate with the invoice’s lines, PO and reference, and finds it again by reference', async () => {
    const created = await finance.createEstimate?.(estimate(customerId), 'setup-9:estimate:c0-p2');
    expect(created).toMatchObject({
      status: 'open',
      number: '1001',
      total: money(125050, 'USD'),
      url: `https://app.sandbox.qbo.intuit.com/app/estimate?txnId=${created?.id}`,
    });
    const body = qbo.calls.find((c) => c.route === 'POST estimate')?.body;
    expect(QBO_STRICT.EstimateCreate.safeParse(body).success).toBe(true);
    const stored = qbo.state.estimates.get(created?.id ?? '');
    expect(stored).toMatchObject({
      TxnDate: '2026-05-15',
      ExpirationDate: '2026-06-01',
      TxnStatus: 'Pending',
      TotalAmt: 1250.5,
      PrivateNote: 'Revenue Handoff estimate ref: setup-9:c0-p2',
      CustomField: [{ DefinitionId: '1', StringValue: 'PO-77' }],
    });
    expect(QBO_STRICT.Estimate.safeParse(stored).success).toBe(true);
    // Non-posting: the customer owes nothing.
    expect(qbo.state.customers.get(customerId)?.Balance ?? 0).toBe(0);
    // The same key replays; the lookup by reference finds it; the invoice marker is a different reference.
    expect(await finance.createEstimate?.(estimate(customerId), 'setup-9:estimate:c0-p2')).toEqual(created);
    expect(qbo.state.estimates.size).toBe(1);
    expect(await finance.findEstimateByReference?.(customerId, 'setup-9:c0-p2')).toEqual(created);
    expect(await finance.findEstimateByReference?.(customerId, 'setup-9:c0-p3')).toBeNull();
    expect(await finance.findInvoiceByReference(customerId, 'setup-9:c0-p2')).toBeNull();
  });

  it('an invoice created from the estimate links it, and QuickBooks closes it; it cannot be converted twice', async () => {
    const est = await finance.createEstimate?.(estimate(customerId), 'e1');
    const inv = await finance.createInvoice(invoice(customerId, { estimateId: est?.id ?? '' }), 'i1');
    const stored = qbo.state.invoices.get(inv.id);
    expect(stored?.LinkedTxn).toEqual([{ TxnId: est?.id, TxnType: 'Estimate' }]);
    expect(QBO_STRICT.InvoiceCreate.safeParse(qbo.calls.find((c) => c.route === 'POST invoice')?.body).success).toBe(
      true,
    );
    expect(qbo.state.estimates.get(est?.id ?? '')).toMatchObject({
      TxnStatus: 'Closed',
      LinkedTxn: [{ TxnId: inv.id, TxnType: 'Invoice' }],
      SyncToken: '1',
    });
    expect((await finance.findEstimateByReference?.(customerId, 'setup-9:c0-p2'))?.status).toBe('closed');
    await expect(
      finance.createInvoice(invoice(customerId, { reference: 'setup-9:again', estimateId: est?.id ?? '' }), 'i2'),
    ).rejects.toMatchObject({ kind: 'validation', vendorMessage: expect.stringContaining('Closed') });
    // A converted estimate stays (delete its invoice first).
    await expect(finance.deleteEstimate?.(est?.id ?? '', 'd1')).rejects.toMatchObject({
      vendorMessage: expect.stringContaining('linked to an invoice'),
    });
  });

  it('refuses an estimate of another customer as the invoice’s source', async () => {
    const other = qbo.addCustomer({ DisplayName: 'Initech' }).Id;
    const est = await finance.createEstimate?.(estimate(other), 'e1');
    await expect(finance.createInvoice(invoice(customerId, { estimateId: est?.id ?? '' }), 'i1')).rejects.toMatchObject(
      { kind: 'validation', vendorMessage: expect.stringContaining('another customer') },
    );
    expect(qbo.state.invoices.size).toBe(0);
  });

  it('deletes an open estimate with its current SyncToken; deleting one already gone is not an error', async () => {
    const est = await finance.createEstimate?.(estimate(customerId, { expirationDate: undefined }), 'e1');
    expect(qbo.state.estimates.get(est?.id ?? '')?.ExpirationDate).toBeUndefined();
    await finance.deleteEstimate?.(est?.id ?? '', 'd1');
    expect(qbo.state.estimates.size).toBe(0);
    const del = qbo.calls.find((c) => c.route === 'POST estimate?operation=delete');
    expect(del).toMatchObject({ status: 200, body: { Id: est?.id, SyncToken: '0' } });
    await expect(finance.deleteEstimate?.(est?.id ?? '', 'd1')).resolves.toBeUndefined();
  });

  it('the sandbox refuses a stale SyncToken on delete (5010); an expiration before the date is left out', async () => {
    const est = await finance.createEstimate?.(estimate(customerId), 'e1');
    const res = await fetch(`${BASE}/v3/company/${qbo.realmId}/estimate?operation=delete&minorversion=75`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${qbo.accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ Id: est?.id, SyncToken: '7' }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('5010');
    expect(qbo.state.estimates.size).toBe(1);
    await expect(
      finance.createEstimate?.(estimate(customerId, { reference: 'x:y', expirationDate: '2026-05-01' }), 'e2'),
    ).resolves.toMatchObject({ status: 'open' });
    // The mapper leaves out an expiration before the date rather than send one QuickBooks refuses.
    expect([...qbo.state.estimates.values()].at(-1)?.ExpirationDate).toBeUndefined();
  });
});
