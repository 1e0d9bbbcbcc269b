import type { XeroTaxRate } from './types.js';

/**
 * Tax rates as a Xero organisation lists them (GET /TaxRates), checked against Xero's OpenAPI TaxRate schema by
 * test/contracts/xero.contract.test.ts. UK names, TaxTypes and rates are Xero's UK defaults.
 */
const rate = (
  Name: string,
  TaxType: string,
  percent: number,
  ReportTaxType: XeroTaxRate['ReportTaxType'],
  revenue = true,
): XeroTaxRate => ({
  Name,
  TaxType,
  ReportTaxType,
  TaxComponents: [{ Name: 'VAT', Rate: percent, IsCompound: false, IsNonRecoverable: false }],
  Status: 'ACTIVE',
  CanApplyToAssets: true,
  CanApplyToEquity: true,
  CanApplyToExpenses: !revenue,
  CanApplyToLiabilities: true,
  CanApplyToRevenue: revenue,
  DisplayTaxRate: percent,
  EffectiveRate: percent,
});

export const XERO_UK_TAX_RATES: XeroTaxRate[] = [
  rate('20% (VAT on Income)', 'OUTPUT2', 20, 'OUTPUT'),
  rate('5% (VAT on Income)', 'RROUTPUT', 5, 'OUTPUT'),
  rate('Zero Rated Income', 'ZERORATEDOUTPUT', 0, 'OUTPUT'),
  rate('Exempt Income', 'EXEMPTOUTPUT', 0, 'EXEMPTOUTPUT'),
  rate('No VAT', 'NONE', 0, 'NONE'),
  rate('20% (VAT on Expenses)', 'INPUT2', 20, 'INPUT', false),
];

/** An organisation without sales tax: only "No Tax". */
export const XERO_NO_TAX_RATES: XeroTaxRate[] = [rate('Tax Exempt', 'NONE', 0, 'NONE')];
