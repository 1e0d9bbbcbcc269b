/** Receivables: invoice snapshots, aging, DSO, risk and the payment-status banner, credit pre-qualification. */

export {
  AGING_BUCKET_LABELS,
  AGING_BUCKETS,
  type AgingBucket,
  type AgingReport,
  ageReceivables,
  agingBucketOf,
  type CurrencyAging,
  daysPastDue,
} from './aging.js';
export type { AsOf } from './as-of.js';
export {
  type CreditAssessment,
  type CreditOptions,
  type CreditSuggestion,
  type CreditThresholds,
  type CreditThresholdsInput,
  CreditThresholdsSchema,
  prequalifyCredit,
} from './credit.js';
export {
  type DsoOptions,
  type DsoResult,
  daysSalesOutstanding,
  type PaymentTimeliness,
  paymentTimeliness,
} from './dso.js';
export {
  InvoiceListSchema,
  type InvoicePayment,
  InvoicePaymentSchema,
  type InvoiceSnapshot,
  type InvoiceSnapshotInput,
  InvoiceSnapshotSchema,
  type InvoiceStatus,
  InvoiceStatusSchema,
  isOutstanding,
  paidDate,
  parseInvoices,
  type SourceSystem,
  SourceSystemSchema,
} from './invoice.js';
export {
  type AlertVariant,
  alertVariant,
  assessRisk,
  BANNER_SEVERITIES,
  type BannerContext,
  type BannerModel,
  type BannerOptions,
  type BannerSeverity,
  type BannerThresholds,
  type BannerThresholdsInput,
  BannerThresholdsSchema,
  bannerModel,
  DEFAULT_BANNER_THRESHOLDS,
  type RiskAssessment,
  type RiskLevel,
  type RiskOptions,
} from './risk.js';
