import { describe, expect, it } from '@jest/globals';
import type { CrmRecord } from '../../../src/integrations/hubspot/client.js';
import { readHandoffData, writeHandoffData } from '../../../src/integrations/hubspot/handoff-codec.js';

function record(id: string, properties: Record<string, string | null>): CrmRecord {
  return { id, properties, createdAt: null, updatedAt: null, archived: false };
}

function applied(values: Parameters<typeof writeHandoffData>[0]) {
  const w = writeHandoffData(values);
  const str = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null ? null : String(v)]));
  return readHandoffData({
    deal: record('d', str(w.deals)),
    company: record('c', str(w.companies)),
    billingContact: record('p', str(w.contacts)),
  });
}

describe('handoff values in HubSpot properties', () => {
  it('round-trips text, dates, numbers, booleans and enumerations', () => {
    const values = {
      poNumber: 'PO-4471',
      startDate: '2027-01-01',
      discountBasisPoints: 1500,
      poRequired: true,
      paymentTerms: 'net_30',
    };
    expect(applied(values)).toEqual(values);
  });

  it('stores money as major units plus the deal currency, and reads it back in minor units', () => {
    const w = writeHandoffData({ contractValue: { amount: 1_250_050, currency: 'USD' } });
    expect(w.deals).toEqual({ amount: '12500.50', deal_currency_code: 'USD' });
    expect(applied({ contractValue: { amount: 1_250_050, currency: 'USD' } })).toEqual({
      contractValue: { amount: 1_250_050, currency: 'USD' },
      currency: 'USD',
    });
    expect(applied({ contractValue: { amount: 1500, currency: 'KWD' } }).contractValue).toEqual({
      amount: 1500,
      currency: 'KWD',
    });
  });

  it("splits the billing contact's name over firstname and lastname and joins it back", () => {
    const w = writeHandoffData({ billingContact: { name: 'Mary Anne Lee', email: 'ap@acme.com' } });
    expect(w.contacts).toMatchObject({ firstname: 'Mary Anne', lastname: 'Lee', email: 'ap@acme.com' });
    expect(applied({ billingContact: { name: 'Mary Anne Lee', email: 'ap@acme.com' } }).billingContact).toEqual({
      name: 'Mary Anne Lee',
      email: 'ap@acme.com',
    });
  });

  it('keeps the billing address in the company address properties', () => {
    const address = { line1: '1 Main St', city: 'Boston', postalCode: '02110', country: 'US' };
    expect(writeHandoffData({ billingAddress: address }).companies).toMatchObject({
      address: '1 Main St',
      city: 'Boston',
      zip: '02110',
      country: 'US',
    });
    expect(applied({ billingAddress: address }).billingAddress).toEqual(address);
  });

  it('stores structured values (the billing plan) as JSON', () => {
    const plan = {
      currency: 'USD',
      startDate: '2027-01-01',
      endDate: '2027-12-31',
      paymentTerms: 'net_30',
      components: [],
    };
    expect(applied({ billingPlan: plan }).billingPlan).toEqual(plan);
  });

  it('clears a property when a value is emptied', () => {
    expect(writeHandoffData({ poNumber: '' }).deals).toEqual({ rh_po_number: null });
  });

  it('passes a hand-edited value that does not parse on as it is, for the evaluation to flag', () => {
    const data = readHandoffData({
      deal: record('d', {
        rh_billing_plan: '{broken',
        rh_discount_basis_points: 'ten',
        rh_start_date: '1767225600000',
      }),
      company: null,
      billingContact: null,
    });
    expect(data.billingPlan).toBe('{broken');
    expect(data.discountBasisPoints).toBe('ten');
    expect(data.startDate).toBe('2026-01-01');
  });
});
