/** Every text of the app home page, in one place so it can be translated later. */
export const STRINGS = {
  loading: 'Loading revenue-readiness metrics…',
  loadErrorTitle: 'Metrics could not be loaded',
  title: 'Revenue readiness',
  asOf: (when: string, zone: string) => `Figures as of ${when} (${zone})`,

  emptyTitle: 'No data yet',
  emptyText:
    'Metrics appear once deals are won and handed off. Connect a finance system in the settings so billing and invoices can be measured too.',

  readiness: {
    heading: 'From closed-won to revenue',
    closeToBillingLive: 'Close → billing live',
    billingLiveToFirstInvoice: 'Billing live → first invoice',
    closeToFirstInvoice: 'Close → first invoice',
    median: 'Median',
    p90: '90th percentile',
    days: 'Days',
    step: 'Step',
    measure: 'Measure',
    medianDays: (label: string) => `${label} (median)`,
    awaitingBilling: 'Won deals waiting for billing setup',
    awaitingInvoice: 'Won deals without a first invoice',
    chartTitle: 'Days from close to revenue, by step',
  },

  invoices: {
    heading: 'Invoices',
    late: (hours: number) => `Created more than ${hours} h after their trigger`,
    lateValue: (late: number, of: number, share: string) => `${late} of ${of} (${share})`,
    corrections: 'Corrected by hand after sending',
    correctionsValue: (n: number, share: string) => `${n} (${share})`,
  },

  receivables: {
    heading: (currency: string) => `Receivables in ${currency}`,
    overdueShare: 'Overdue',
    dso: 'DSO',
    outstanding: 'Outstanding',
    overdue: 'Overdue amount',
    customersOverdue: 'Customers overdue',
  },

  handoffs: {
    heading: 'Handoffs',
    acceptance: 'Acceptance rate',
    firstPass: 'Accepted first time',
    breaches: 'SLA breaches',
    breachesValue: (total: number, open: number) => `${total} (${open} still open)`,
    pending: 'Waiting for a decision',
    reasonsTitle: 'Why handoffs were rejected',
    reason: 'Reason',
    count: 'Rejections',
  },

  atRisk: {
    heading: (currency: string) => `Top accounts at risk (${currency})`,
    none: 'No account is at risk.',
    account: 'Account',
    risk: 'Risk',
    daysPastDue: 'Days past due',
    overdue: 'Overdue',
    creditHold: 'credit hold',
    severity: { danger: 'High', warning: 'Medium', info: 'Low', success: 'None' } as Record<string, string>,
  },
} as const;
