import { describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { money } from '../../../../src/core/money.js';
import type { InvoiceDraft } from '../../../../src/integrations/finance/port.js';
import { FinanceError } from '../../../../src/integrations/finance/port.js';
import { customerDraftToStripe } from '../../../../src/integrations/finance/stripe/customer-draft-to-stripe.js';
import { invoiceDraftToStripe } from '../../../../src/integrations/finance/stripe/invoice-draft-to-stripe.js';
import { paymentTermsToStripe } from '../../../../src/integrations/finance/stripe/payment-terms-to-stripe.js';
import {
  lineFor,
  newCustomer,
  newInvoice,
  type WireInvoiceItem,
} from '../../../../src/integrations/finance/stripe/sandbox/objects.js';
import { stripeCustomerToCustomer } from '../../../../src/integrations/finance/stripe/stripe-customer-to-customer.js';
import {
  stripeInvoiceToCreated,
  stripeInvoiceToSnapshot,
  stripeStatusToSnapshot,
} from '../../../../src/integrations/finance/stripe/stripe-invoice-to-snapshot.js';
import { InvoiceSnapshotSchema } from '../../../../src/receivables/invoice.js';

const t = (iso: string) => Date.parse(iso) / 1000;

describe('payment-terms-to-stripe', () => {
  it('net_N → days_until_due N, due on receipt → 0', () => {
    expect(paymentTermsToStripe('net_30')).toEqual({ days_until_due: 30 });
    expect(paymentTermsToStripe('net_365')).toEqual({ days_until_due: 365 });
    expect(paymentTermsToStripe('due_on_receipt')).toEqual({ days_until_due: 0 });
  });

  it('eofm_D is refused as validation naming the alternative; a foreign code too', () => {
    const e = (() => {
      try {
        paymentTermsToStripe('eofm_20');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(FinanceError);
    expect(e).toMatchObject({
      kind: 'validation',
      system: 'stripe',
      vendorMessage:
        'Stripe cannot express "day 20 of the following month" (eofm_20); use net terms instead, e.g. net_30',
    });
    expect(() => paymentTermsToStripe('net_0')).toThrow(/not a payment terms code/);
  });
});

describe('customer-draft-to-stripe', () => {
  it('name, email, address (region → state) and our metadata', () => {
    expect(
      customerDraftToStripe({
        legalName: ' Acme Ltd ',
        email: 'ap@acme.test',
        apContactName: 'Ada Lovelace',
        address: {
          line1: '1 Main St',
          line2: 'Fl 2',
          city: 'Springfield',
          region: 'IL',
          postalCode: '62701',
          country: 'US',
        },
        currency: 'USD',
        paymentTerms: 'net_30',
        externalRef: 'hs-company-1',
      }),
    ).toEqual({
      name: 'Acme Ltd',
      email: 'ap@acme.test',
      address: {
        line1: '1 Main St',
        line2: 'Fl 2',
        city: 'Springfield',
        state: 'IL',
        postal_code: '62701',
        country: 'US',
      },
      metadata: {
        rh_external_ref: 'hs-company-1',
        rh_payment_terms: 'net_30',
        rh_currency: 'USD',
        rh_ap_contact_name: 'Ada Lovelace',
      },
    });
  });

  it('clears the AP name on update with an empty value, and refuses terms Stripe cannot apply', () => {
    const base = { legalName: 'A', currency: 'EUR', paymentTerms: 'net_15', externalRef: 'r' };
    expect(customerDraftToStripe(base).metadata).toMatchObject({ rh_ap_contact_name: '' });
    expect(() => customerDraftToStripe({ ...base, paymentTerms: 'eofm_5' })).toThrow(/use net terms/);
    expect(() => customerDraftToStripe({ ...base, legalName: '  ' })).toThrow(/needs a name/);
    expect(() => customerDraftToStripe({ ...base, externalRef: 'x'.repeat(501) })).toThrow(/500 characters/);
  });
});

describe('stripe-customer-to-customer', () => {
  it('reads our metadata back; Stripe’s currency wins once set', () => {
    const c: Stripe.Customer = {
      ...newCustomer('cus_1', 1, 'ABC'),
      name: 'Acme Ltd',
      email: 'ap@acme.test',
      currency: 'usd',
      metadata: { rh_external_ref: 'hs-1', rh_payment_terms: 'net_30', rh_currency: 'EUR' },
    };
    expect(stripeCustomerToCustomer(c)).toEqual({
      id: 'cus_1',
      legalName: 'Acme Ltd',
      email: 'ap@acme.test',
      externalRef: 'hs-1',
      paymentTerms: 'net_30',
      currency: 'USD',
      url: 'https://dashboard.stripe.com/test/customers/cus_1',
    });
    expect(stripeCustomerToCustomer({ ...c, currency: null, email: null, metadata: {} })).toEqual({
      id: 'cus_1',
      legalName: 'Acme Ltd',
      url: 'https://dashboard.stripe.com/test/customers/cus_1',
    });
  });
});

describe('stripe-invoice-to-snapshot', () => {
  const customer = newCustomer('cus_1', t('2026-03-01T00:00:00Z'), 'ABC');
  const open = (): Stripe.Invoice => {
    const inv = newInvoice('in_1', t('2026-03-02T09:00:00Z'), customer, 'X') as unknown as Stripe.Invoice;
    return {
      ...inv,
      status: 'open',
      number: 'ABC-0001',
      currency: 'usd',
      total: 109999,
      amount_due: 109999,
      amount_remaining: 59999,
      amount_paid: 50000,
      effective_at: t('2026-03-01T00:00:00Z'),
      due_date: t('2026-03-31T09:00:00Z'),
      metadata: { rh_reference: 'rh-1' },
    };
  };

  it('maps every Stripe status; uncollectible is written_off', () => {
    expect(stripeStatusToSnapshot('draft')).toBe('draft');
    expect(stripeStatusToSnapshot('open')).toBe('open');
    expect(stripeStatusToSnapshot('paid')).toBe('paid');
    expect(stripeStatusToSnapshot('void')).toBe('void');
    expect(stripeStatusToSnapshot('uncollectible')).toBe('written_off');
    expect(() => stripeStatusToSnapshot(null)).toThrow(FinanceError);
  });

  it('reads an open invoice: effective date as issue day, due_date as due day, remaining as amount due', () => {
    const snap = stripeInvoiceToSnapshot(open());
    expect(snap).toEqual({
      id: 'in_1',
      number: 'ABC-0001',
      customerId: 'cus_1',
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      currency: 'USD',
      total: money(109999, 'USD'),
      amountDue: money(59999, 'USD'),
      status: 'open',
      url: 'https://dashboard.stripe.com/test/invoices/in_1',
      poNumber: null,
      lines: [],
      source: 'stripe',
    });
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('reads the PO custom field and every line (amount, quantity, unit amount, tax rate); a partial line list is not read', () => {
    const item = {
      id: 'ii_1',
      amount: 45000,
      currency: 'usd',
      description: 'Support',
      discountable: true,
      invoice: 'in_1',
      metadata: {},
      period: { start: 1, end: 1 },
      pricing: { type: 'price_details' as const, unit_amount_decimal: '45000' },
      quantity: 1,
      quantity_decimal: '1',
    } as unknown as WireInvoiceItem;
    const line = {
      ...lineFor(item, 'il_1'),
      taxes: [
        {
          amount: 0,
          tax_behavior: 'exclusive' as const,
          tax_rate_details: { tax_rate: 'txr_1' },
          taxability_reason: 'standard_rated' as const,
          taxable_amount: 45000,
          type: 'tax_rate_details' as const,
        },
      ],
    };
    const inv = {
      ...open(),
      custom_fields: [{ name: 'PO number', value: 'PO-2' }],
      lines: { object: 'list', data: [line], has_more: false, url: '/v1/invoices/in_1/lines' },
    } as unknown as Stripe.Invoice;
    const snap = stripeInvoiceToSnapshot(inv);
    expect(snap.poNumber).toBe('PO-2');
    expect(snap.lines).toEqual([
      {
        description: 'Support',
        quantity: 1,
        unitAmount: money(45000, 'USD'),
        amount: money(45000, 'USD'),
        taxCode: 'txr_1',
      },
    ]);
    expect(stripeInvoiceToSnapshot(inv, { poFieldName: 'Purchase order' }).poNumber).toBeNull();
    const partial = { ...inv, lines: { ...inv.lines, has_more: true } } as Stripe.Invoice;
    expect(stripeInvoiceToSnapshot(partial).lines).toBeUndefined();
  });

  it('a paid invoice has its paid day; a draft is numbered by our reference and due no earlier than issued', () => {
    const paid = stripeInvoiceToSnapshot({
      ...open(),
      status: 'paid',
      amount_remaining: 0,
      status_transitions: {
        finalized_at: 1,
        marked_uncollectible_at: null,
        paid_at: t('2026-03-10T15:00:00Z'),
        voided_at: null,
      },
    });
    expect(paid).toMatchObject({ status: 'paid', paidOn: '2026-03-10', amountDue: money(0, 'USD') });
    const draft = stripeInvoiceToSnapshot({
      ...open(),
      status: 'draft',
      number: null,
      effective_at: t('2026-04-01T00:00:00Z'),
      due_date: t('2026-03-31T00:00:00Z'),
    });
    expect(draft).toMatchObject({ number: 'rh-1', issueDate: '2026-04-01', dueDate: '2026-04-01', status: 'draft' });
  });

  it('CreatedInvoice: id, number when issued, link, status, exact total', () => {
    expect(stripeInvoiceToCreated(open())).toEqual({
      id: 'in_1',
      number: 'ABC-0001',
      url: 'https://dashboard.stripe.com/test/invoices/in_1',
      status: 'open',
      total: money(109999, 'USD'),
    });
    expect(stripeInvoiceToCreated({ ...open(), number: null, status: 'draft' }).number).toBeUndefined();
  });
});

describe('invoice-draft-to-stripe', () => {
  const draft: InvoiceDraft = {
    customerId: 'cus_1',
    reference: 'rh-setup-1-m01',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    currency: 'EUR',
    paymentTerms: 'net_30',
    poNumber: 'PO-1',
    memo: 'Thank you',
    status: 'issued',
    lines: [
      {
        description: 'Retainer',
        quantity: 1,
        unitAmount: money(100000, 'EUR'),
        amount: money(100000, 'EUR'),
        periodStart: '2026-03-01',
        periodEnd: '2026-03-31',
      },
      { description: 'Hours', quantity: 1.5, unitAmount: money(3333, 'EUR'), amount: money(5000, 'EUR') },
    ],
  };

  it('one invoice (send_invoice, terms, reference, PO field, issue date, memo) then exact line items', () => {
    expect(invoiceDraftToStripe(draft)).toEqual({
      invoice: {
        customer: 'cus_1',
        currency: 'eur',
        collection_method: 'send_invoice',
        days_until_due: 30,
        auto_advance: false,
        effective_at: t('2026-03-01T00:00:00Z'),
        pending_invoice_items_behavior: 'exclude',
        metadata: { rh_reference: 'rh-setup-1-m01' },
        custom_fields: [{ name: 'PO number', value: 'PO-1' }],
        description: 'Thank you',
      },
      items: [
        {
          customer: 'cus_1',
          currency: 'eur',
          amount: 100000,
          description: 'Retainer',
          metadata: { rh_reference: 'rh-setup-1-m01', rh_line: '1' },
          period: { start: t('2026-03-01T00:00:00Z'), end: t('2026-03-31T00:00:00Z') },
        },
        {
          customer: 'cus_1',
          currency: 'eur',
          amount: 5000,
          description: 'Hours (1.5 × €33.33)',
          metadata: { rh_reference: 'rh-setup-1-m01', rh_line: '2' },
        },
      ],
      finalize: true,
    });
  });

  it('a draft is not finalised; no PO, no custom fields; the PO field name is configurable', () => {
    const plan = invoiceDraftToStripe({ ...draft, status: 'draft', poNumber: undefined, memo: undefined });
    expect(plan.finalize).toBe(false);
    expect(plan.invoice.custom_fields).toBeUndefined();
    expect(plan.invoice.description).toBeUndefined();
    expect(invoiceDraftToStripe(draft, { poFieldName: 'Purchase order' }).invoice.custom_fields).toEqual([
      { name: 'Purchase order', value: 'PO-1' },
    ]);
  });

  it('refuses eofm terms, mixed currencies, an empty invoice and a PO too long for a custom field', () => {
    expect(() => invoiceDraftToStripe({ ...draft, paymentTerms: 'eofm_20' })).toThrow(/use net terms/);
    expect(() =>
      invoiceDraftToStripe({
        ...draft,
        lines: [{ description: 'x', quantity: 1, unitAmount: money(1, 'USD'), amount: money(1, 'USD') }],
      }),
    ).toThrow(/in USD, the invoice is in EUR/);
    expect(() => invoiceDraftToStripe({ ...draft, lines: [] })).toThrow(/at least one line/);
    expect(() => invoiceDraftToStripe({ ...draft, poNumber: 'x'.repeat(141) })).toThrow(/140 characters/);
  });
});
