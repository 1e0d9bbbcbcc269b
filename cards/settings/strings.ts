import { FINANCE_SYSTEM_NAMES, financeSystemName } from '../../src/core/finance-systems.js';

/** Every text of the settings page, in one place so it can be translated later. */
export const STRINGS = {
  loading: 'Loading settings…',
  loadErrorTitle: 'Settings could not be loaded',
  saveErrorTitle: 'Not saved',
  errorAt: (path: string) => `At: ${path}`,
  saved: 'Saved.',

  finance: {
    heading: 'Finance system',
    status: {
      connected: 'Connected',
      reconnect_needed: 'Reconnect needed',
      disconnected: 'Disconnected',
      not_connected: 'Not connected',
    },
    connectedTo: (name: string) => `Connected to ${name}.`,
    notConnected: 'No finance system is connected. Connect one so billing setup and payment status can work.',
    lastError: (message: string) => `Last error: ${message}`,
    connect: (system: string) => `Connect ${system}`,
    reconnect: (system: string) => `Reconnect ${system}`,
    systems: FINANCE_SYSTEM_NAMES,
  },

  stripe: {
    heading: 'Connect Stripe with an API key',
    secretKey: 'Secret or restricted key',
    webhookSecret: 'Webhook signing secret (optional)',
    connect: 'Connect Stripe',
    registerWebhook: (url: string) => `Stripe is connected. Register this webhook endpoint in Stripe: ${url}`,
  },

  failed: {
    heading: 'Billing setups that failed',
    none: 'No failed billing setups.',
    deal: 'Deal',
    error: 'Error',
    when: 'When',
  },

  portal: {
    heading: 'Payment banner and team',
    timeZone: 'Portal time zone',
    timeZoneHelp: 'IANA name, e.g. America/New_York. Days past due and SLAs are counted in this zone.',
    manualCorrections: 'Changes made in the finance system',
    manualCorrectionsHelp:
      'When someone edits a synced customer or invoice directly in QuickBooks, Xero or Stripe (terms, email, address, legal name, dates, amounts).',
    correctionPolicies: {
      flag: 'Flag for review on the deal',
      adopt: 'Adopt: write the new value back to HubSpot',
    },
    warningFrom: 'Warning from (days past due)',
    dangerFrom: 'Danger from (days past due)',
    minimumsHeading: 'Minimum overdue amount per currency (smaller amounts do not raise the banner)',
    currency: 'Currency',
    minimum: 'Minimum',
    addMinimum: 'Add currency minimum',
    defaultRoles: 'Roles everyone has',
    usersHeading: 'People and their roles',
    userId: 'HubSpot user id',
    userName: 'Name in the thread',
    roles: 'Roles',
    teams: 'Teams (comma separated)',
    remove: 'Remove',
    newUserId: 'Add a person by HubSpot user id',
    addUser: 'Add person',
    save: 'Save settings',
    noUsers: 'Nobody is listed yet: everyone has the default roles only.',
  },

  roles: {
    sales: 'Sales',
    customer_success: 'Customer Success',
    finance: 'Finance',
    revops: 'RevOps',
  } as Record<string, string>,

  template: {
    heading: 'Handoff templates',
    none: 'No handoff templates.',
    choose: 'Template',
    version: (n: number) =>
      `Version ${n} · saving creates version ${n + 1}; handoffs keep the version they were judged against.`,
    requiredFields: 'Required fields (always)',
    conditional: 'Also required when a condition holds (kept as is):',
    conditionalLine: (field: string, on: string) => `${field} — when ${on} is set as the template says`,
    reasonsHeading: 'Rejection reasons',
    reasonLabel: 'Reason',
    reasonCode: 'Code',
    addReason: 'Add reason',
    slaHours: 'SLA (hours)',
    slaCalendar: 'SLA counts',
    calendars: { business: 'Business hours', calendar: 'Calendar hours' } as Record<string, string>,
    exceptionOwner: 'Who approves exceptions',
    scheduledAs: 'QuickBooks: invoices not yet due',
    scheduledAsOptions: {
      held: 'Held in Revenue Handoff until their date (default)',
      estimate: 'Also shown in QuickBooks as Estimates until their date',
    } as Record<string, string>,
    scheduledAsNote: (connected: 'quickbooks' | 'xero' | 'stripe' | null) =>
      `QuickBooks has no draft invoices. Estimates do not post to the books; each becomes its invoice on its date or trigger.${connected === 'xero' || connected === 'stripe' ? ` Only QuickBooks Online has estimates: with ${financeSystemName(connected)} connected, Estimates stops billing setup (Xero and Stripe get draft invoices ahead anyway).` : ''}`,
    save: 'Save template',
  },
} as const;
