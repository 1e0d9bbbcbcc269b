import type { BooksTaxSetup } from '../../../billing/capabilities.js';
import type { XeroTaxRate } from './types.js';

/**
 * A Xero organisation's tax setup from its TaxRates: every ACTIVE rate that applies to revenue, its TaxType as
 * the code a line item names. Xero rounds tax on each line and sets LineAmountTypes once per invoice.
 * @example xeroTaxRatesToTaxSetup(rates).codes[0] // { code: 'OUTPUT2', name: '20% (VAT on Income)', ratePercent: 20 }
 */
export function xeroTaxRatesToTaxSetup(rates: ReadonlyArray<XeroTaxRate>): BooksTaxSetup {
  const codes = rates
    .filter((r) => r.TaxType && r.Status === 'ACTIVE' && r.CanApplyToRevenue !== false)
    .map((r) => {
      const rate = r.EffectiveRate ?? r.DisplayTaxRate;
      return { code: r.TaxType as string, name: r.Name ?? (r.TaxType as string), ratePercent: rate ?? null };
    });
  return { mode: 'codes', codes, rounding: 'per_line', mixedInclusive: false };
}
