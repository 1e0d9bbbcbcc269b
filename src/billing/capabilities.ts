import type { BillingInterval, BillingTiming } from './plan.js';
import type { BooksTaxCode, TaxRounding } from './tax.js';

/**
 * What a connected finance system can express, as plain data. Each adapter in src/integrations/finance/<vendor>/
 * exports one of these; the core checks billing plans against it (see feasibility.ts) before a deal is signed.
 */
export interface FinanceCapabilities {
  system: 'quickbooks' | 'xero' | 'stripe';
  displayName: string;
  /** Can an invoice exist unposted (Xero DRAFT, Stripe draft)? QuickBooks Online: no — we hold it as scheduled. */
  draftInvoices: boolean;
  /** The vendor's own recurring-invoice feature, or null when it has none we use. */
  recurring: {
    intervals: BillingInterval[];
    timings: BillingTiming[];
    /** Can the first period start mid-period with a prorated first invoice? */
    proratedFirstPeriod: boolean;
    /** Can the price change at a later period (ramps) within one recurring template? */
    priceSteps: boolean;
  } | null;
  paymentTerms: {
    /** Largest "net N days" the system accepts; null when net terms are not supported. */
    maxNetDays: number | null;
    dayOfFollowingMonth: boolean;
  };
  /** Currencies the connected books accept, or 'any'. */
  currencies: 'any' | string[];
  /** Metered usage with overage per unit. */
  usageOverage: boolean;
  /** Percent discounts on a line or subscription. */
  percentDiscounts: boolean;
  /** Where a purchase-order number can be carried on the invoice, or null if nowhere. */
  poField: string | null;
  /** Can a scheduled invoice be shown ahead as a non-posting estimate that the invoice later converts
   * (QuickBooks Estimate)? Absent: no. */
  estimates?: boolean;
  /** The connected books' tax setup, once read from them (absent: not known, so tax codes are not checked). */
  tax?: BooksTaxSetup;
}

/** How the connected books take tax: the codes they hold, how they round, what one invoice can mix. */
export interface BooksTaxSetup {
  /** `codes`: each line names one of `codes` (non-US QuickBooks, Xero, Stripe). `us_automated`: QuickBooks US
   * automated sales tax — a line is taxable (`TAX`) or not (`NON`) and QuickBooks works the rate out from the
   * customer's address. */
  mode: 'codes' | 'us_automated';
  codes: BooksTaxCode[];
  rounding: TaxRounding;
  /** Can one invoice have tax-inclusive and tax-exclusive lines? (QuickBooks and Xero: one setting per invoice.) */
  mixedInclusive: boolean;
  /** Country of the books, ISO 3166-1 alpha-2, where the system says. */
  country?: string;
}
