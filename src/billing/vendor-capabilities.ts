import type { FinanceCapabilities } from './capabilities.js';

/**
 * What each finance system can express, as plain data (see /work/shared/design/VENDOR-FACTS.md and the vendors'
 * API references). These are the systems' own limits; an adapter narrows them to a connected account — above all
 * `currencies`, which depends on the account's home currency and whether multicurrency is switched on — before
 * checking feasibility.
 *
 * `maxNetDays`: none of the three documents a maximum below a year for net terms (QuickBooks Term.DueDays, Xero
 * PaymentTerms Day with DAYSAFTERBILLDATE, Stripe days_until_due); 365 is the longest our terms codes express.
 */

/**
 * QuickBooks Online: invoices post to the books on create (no drafts) — we hold scheduled invoices and create each
 * on its date or trigger. RecurringTransaction templates repeat monthly or every N months / yearly (quarterly =
 * every 3 months), issued on a fixed day, with no proration or price steps. Date-driven terms (Term.DayOfMonthDue)
 * express "day D of the following month". Percent discounts via a percent-based discount line; no metered usage.
 * The PO number goes into a custom field on the invoice. A held invoice can also be shown ahead as an Estimate
 * (non-posting) that the invoice converts on its date (template `quickbooksScheduledAs: 'estimate'`).
 */
export const QUICKBOOKS_CAPABILITIES: FinanceCapabilities = {
  system: 'quickbooks',
  displayName: 'QuickBooks Online',
  draftInvoices: false,
  recurring: {
    intervals: ['monthly', 'quarterly', 'annual'],
    timings: ['advance'],
    proratedFirstPeriod: false,
    priceSteps: false,
  },
  paymentTerms: { maxNetDays: 365, dayOfFollowingMonth: true },
  currencies: 'any',
  usageOverage: false,
  percentDiscounts: true,
  poField: 'Invoice custom field "P.O. Number"',
  estimates: true,
};

/**
 * Xero: invoices can be created as DRAFT. RepeatingInvoices repeat every N months (Schedule.Unit MONTHLY,
 * Period 1/3/12) but updates are limited, so we prefer draft invoices generated from our schedule. PaymentTerms
 * types DAYSAFTERBILLDATE (net N) and OFFOLLOWINGMONTH (day D of the following month). Line DiscountRate gives
 * percent discounts; no metered usage. The PO number goes into Invoice.Reference.
 */
export const XERO_CAPABILITIES: FinanceCapabilities = {
  system: 'xero',
  displayName: 'Xero',
  draftInvoices: true,
  recurring: {
    intervals: ['monthly', 'quarterly', 'annual'],
    timings: ['advance'],
    proratedFirstPeriod: false,
    priceSteps: false,
  },
  paymentTerms: { maxNetDays: 365, dayOfFollowingMonth: true },
  currencies: 'any',
  usageOverage: false,
  percentDiscounts: true,
  poField: 'Reference',
};

/**
 * Stripe: subscriptions bill each period in advance; intervals month / year with interval_count (quarterly =
 * month × 3); proration via billing_cycle_anchor + proration_behavior; ramps via subscription schedules; metered
 * prices for usage; percent coupons. Invoices start as drafts. Due dates only as days_until_due — no "day of the
 * following month". The PO number goes into an invoice custom field.
 */
export const STRIPE_CAPABILITIES: FinanceCapabilities = {
  system: 'stripe',
  displayName: 'Stripe',
  draftInvoices: true,
  recurring: {
    intervals: ['monthly', 'quarterly', 'annual'],
    timings: ['advance'],
    proratedFirstPeriod: true,
    priceSteps: true,
  },
  paymentTerms: { maxNetDays: 365, dayOfFollowingMonth: false },
  currencies: 'any',
  usageOverage: true,
  percentDiscounts: true,
  poField: 'Invoice custom_fields "PO number"',
};

/** The descriptor of each finance system. */
export const VENDOR_CAPABILITIES: Readonly<Record<FinanceCapabilities['system'], FinanceCapabilities>> = {
  quickbooks: QUICKBOOKS_CAPABILITIES,
  xero: XERO_CAPABILITIES,
  stripe: STRIPE_CAPABILITIES,
};
