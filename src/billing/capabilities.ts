import type { BillingInterval, BillingTiming } from './plan.js';

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
}
