import type { BooksTaxSetup } from '../../../billing/capabilities.js';
import type { BooksTaxCode } from '../../../billing/tax.js';
import type { QboCompanyInfo, QboPreferences, QboTaxCode, QboTaxRate } from './types.js';

/** Sum of percents with four decimals, exactly (15.5 + 0.125, not 15.625000000000002). */
function addPercents(values: number[]): number {
  return values.reduce((s, v) => s + Math.round(v * 10_000), 0) / 10_000;
}

/**
 * A QuickBooks company's tax setup from its CompanyInfo, Preferences, TaxCodes and TaxRates. A US company takes
 * `TAX` / `NON` on each line and (with automated sales tax) QuickBooks works the rate out from the customer's
 * address; any other company needs one of its VAT/GST codes on every line, whose sales rates add up to the code's
 * rate. QuickBooks rounds tax once per rate over the invoice and sets "amounts include tax" per invoice.
 * @example quickbooksTaxToTaxSetup({ Country: 'GB', … }, prefs, codes, rates).codes[0] // { code: '2', name: '20.0% S', ratePercent: 20 }
 */
export function quickbooksTaxToTaxSetup(
  company: Pick<QboCompanyInfo, 'Country'>,
  preferences: QboPreferences | undefined,
  taxCodes: ReadonlyArray<QboTaxCode>,
  taxRates: ReadonlyArray<QboTaxRate>,
): BooksTaxSetup {
  const country = company.Country.trim().toUpperCase();
  const base = { rounding: 'per_invoice' as const, mixedInclusive: false, country };
  if (country === 'US') {
    // A US company that does not charge sales tax has no code a line could name.
    if (preferences?.TaxPrefs?.UsingSalesTax === false) return { ...base, mode: 'us_automated', codes: [] };
    const listed = taxCodes.filter((c) => c.Active && (c.Id === 'TAX' || c.Id === 'NON'));
    const codes: BooksTaxCode[] = listed.length
      ? listed.map((c) => ({ code: c.Id, name: c.Name, ratePercent: c.Id === 'NON' ? 0 : null }))
      : [
          { code: 'TAX', name: 'TAX', ratePercent: null },
          { code: 'NON', name: 'NON', ratePercent: 0 },
        ];
    return { ...base, mode: 'us_automated', codes };
  }
  const rates = new Map(taxRates.map((r) => [r.Id, r]));
  const codes: BooksTaxCode[] = [];
  for (const c of taxCodes) {
    const details = c.SalesTaxRateList?.TaxRateDetail ?? [];
    if (!c.Active || details.length === 0) continue; // purchase-only codes cannot go on a sales line
    const values = details.map((d) => rates.get(d.TaxRateRef.value)?.RateValue);
    const known = values.every((v): v is number => typeof v === 'number');
    codes.push({ code: c.Id, name: c.Name, ratePercent: known ? addPercents(values) : null });
  }
  return { ...base, mode: 'codes', codes };
}
