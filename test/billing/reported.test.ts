import { describe, expect, it } from '@jest/globals';
import { hourlyInvoiceLine, usageInvoiceLine } from '../../src/billing/reported.js';
import { caught, usd } from './fixtures.js';

const usage = {
  kind: 'usage',
  description: 'API calls',
  minimumPerPeriod: usd(500_00),
  includedUnits: 1000,
  overageUnitPrice: usd(10),
  unitName: 'call',
};
const hourly = { kind: 'hourly', description: 'Consulting', rate: usd(150_00), capHoursPerPeriod: 40 };

describe('usageInvoiceLine', () => {
  it('bills units beyond the included units at the overage price', () => {
    expect(
      usageInvoiceLine(usage, 1250, { componentIndex: 2, periodStart: '2026-01-01', periodEnd: '2026-01-31' }),
    ).toEqual({
      componentIndex: 2,
      kind: 'usage_overage',
      description: 'API calls: 250 calls over the 1,000 calls included (1,250 calls used)',
      quantity: 250,
      unitPrice: usd(10),
      amount: usd(25_00),
      periodStart: '2026-01-01',
      periodEnd: '2026-01-31',
    });
  });

  it('bills nothing when usage stays within the commitment', () => {
    expect(usageInvoiceLine(usage, 900).amount).toEqual(usd(0));
  });

  it('refuses a fractional unit count', () => {
    expect(caught(() => usageInvoiceLine(usage, 1.5))).toMatchObject({
      path: 'unitsUsed',
      message: 'unitsUsed: must be a whole number of units',
    });
  });
});

describe('hourlyInvoiceLine', () => {
  it('bills the hours reported when they stay under the cap', () => {
    expect(hourlyInvoiceLine(hourly, 12.5)).toMatchObject({ kind: 'hourly', quantity: 12.5, amount: usd(1875_00) });
  });

  it('bills no more than the cap and says how many hours went unbilled', () => {
    const line = hourlyInvoiceLine(hourly, 42.5);
    expect(line.amount).toEqual(usd(6000_00));
    expect(line.description).toBe('Consulting: 40 h (cap 40 h; 2.5 h over the cap not billed)');
  });

  it('rounds rate × hours half up to the minor unit', () => {
    expect(hourlyInvoiceLine({ ...hourly, rate: usd(33_33) }, 0.05).amount).toEqual(usd(1_67));
  });

  it('refuses hours with more than two decimals, naming the field', () => {
    expect(caught(() => hourlyInvoiceLine(hourly, 1.234))).toMatchObject({
      path: 'hoursWorked',
      message: 'hoursWorked: may have at most two decimals',
    });
  });

  it('refuses a component that is not hourly', () => {
    expect(caught(() => hourlyInvoiceLine(usage, 1))).toMatchObject({ code: 'invalid_input', path: 'component.kind' });
  });
});
