/** Metrics: revenue readiness and the monthly audit figures, computed from fact records. */

export { type AtRiskAccount, type AtRiskList, type AtRiskOptions, topAtRiskAccounts } from './at-risk.js';
export {
  type AuditFactsInput,
  AuditFactsSchema,
  auditRows,
  invoiceAsOf,
  type MonthlyAudit,
  type MonthlyAuditOptions,
  MonthSchema,
  monthlyAudit,
  POST_MORTEM_TRIGGERS,
  type PostMortemTrigger,
} from './audit.js';
export {
  type CustomerFact,
  type CustomerFactInput,
  CustomerFactSchema,
  type DealReadinessFact,
  type DealReadinessFactInput,
  DealReadinessFactSchema,
  type HandoffEventFact,
  type HandoffEventFactInput,
  HandoffEventFactSchema,
  InstantSchema,
  type InvoiceTimingFact,
  type InvoiceTimingFactInput,
  InvoiceTimingFactSchema,
  type RevenueFacts,
  type RevenueFactsInput,
  RevenueFactsSchema,
} from './facts.js';
export { type HandoffMetrics, handoffMetrics, type SlaBreach } from './handoffs.js';
export { type LateInvoice, type LateInvoiceMetrics, type LateInvoiceOptions, lateInvoices } from './late-invoices.js';
export {
  type CurrencyReceivables,
  type ReceivablesOverview,
  type ReceivablesOverviewOptions,
  receivablesOverview,
} from './overdue.js';
export { type DurationStats, durationStats, type ReadinessMetrics, readinessDurations } from './readiness.js';
export { type RevenueReadinessOptions, type RevenueReadinessReport, revenueReadiness } from './revenue-readiness.js';
