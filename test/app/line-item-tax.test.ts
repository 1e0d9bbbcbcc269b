import { describe, expect, it } from '@jest/globals';
import { planWithLineItemTax } from '../../src/app/line-item-tax.js';
import type { HubSpotCrm } from '../../src/integrations/hubspot/client.js';

const gbp = (amount: number) => ({ amount, currency: 'GBP' });

/** Only what planWithLineItemTax calls: one batch read of line items. */
function crmWith(items: Record<string, Record<string, string | null>>) {
  const reads: string[][] = [];
  const crm = {
    async batchReadLineItems(ids: readonly string[], properties: readonly string[]) {
      reads.push([...ids]);
      expect(properties).toContain('hs_tax_rate');
      return ids.flatMap((id) =>
        items[id] ? [{ id, properties: items[id], createdAt: null, updatedAt: null, archived: false }] : [],
      );
    },
  } as unknown as HubSpotCrm;
  return { crm, reads };
}

const plan = {
  currency: 'GBP',
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  paymentTerms: 'net_30',
  components: [
    {
      kind: 'recurring',
      description: 'Platform',
      interval: 'monthly',
      timing: 'advance',
      price: gbp(100_00),
      lineItemId: '901',
    },
    {
      kind: 'one_time',
      description: 'Books',
      amount: gbp(50_00),
      lineItemId: '902',
      tax: { code: '6', ratePercent: 0 },
    },
  ],
};

describe('tax from HubSpot line items', () => {
  it('fills a component’s tax from the line item it names (rate and code), keeping what the plan states', async () => {
    const { crm, reads } = crmWith({ '901': { hs_tax_rate: '20', rh_tax_code: '2', hs_tax_label: 'VAT 20%' } });
    const resolved = (await planWithLineItemTax(crm, plan)) as typeof plan & {
      components: Array<{ tax?: { code: string; ratePercent: number } }>;
    };
    expect(resolved.components[0]?.tax).toEqual({ code: '2', ratePercent: 20, inclusive: false, label: 'VAT 20%' });
    expect(resolved.components[1]?.tax).toEqual({ code: '6', ratePercent: 0 });
    expect(reads).toEqual([['901']]);
  });

  it('makes no HubSpot call when no component names a line item', async () => {
    const { crm, reads } = crmWith({});
    const plain = { ...plan, components: [{ ...plan.components[0], lineItemId: undefined }] };
    expect(await planWithLineItemTax(crm, plain)).toBe(plain);
    expect(reads).toEqual([]);
  });

  it('refuses a line item whose tax rate is not a percentage, naming the line item, the field and the value', async () => {
    const { crm } = crmWith({ '901': { hs_tax_rate: 'twenty', rh_tax_code: '2' } });
    await expect(planWithLineItemTax(crm, plan)).rejects.toMatchObject({
      path: 'lineItems.901.tax',
      message: expect.stringMatching(/HubSpot line item 901: lineItem\.tax\.ratePercent .*hs_tax_rate "twenty"/),
    });
  });
});
