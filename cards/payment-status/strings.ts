/** Every text of the PaymentStatus card, in one place so it can be translated later. */
export const STRINGS = {
  loading: 'Loading payment status…',
  loadErrorTitle: 'Payment status could not be loaded',

  wrongRecordTitle: 'Payment status works on companies and deals',
  wrongRecordText: 'Add this card to company or deal records.',

  notConnectedTitle: 'No finance system connected',
  notConnectedText:
    'Revenue Handoff is not connected to QuickBooks, Xero or Stripe yet, so there are no invoices to show. An admin can connect one in the app settings.',
  reconnectTitle: (name: string) => `The connection to ${name} needs to be renewed`,
  reconnectText: 'Figures below may be out of date until an admin reconnects in the app settings.',
  openSettings: 'Open Revenue Handoff settings',
  financeFallbackName: 'the finance system',

  noCompanyTitle: 'No company on this deal',
  noCompanyText: 'Associate the deal with a company to see that customer’s invoices and payment status.',
  notLinkedTitle: 'Customer not linked yet',
  notLinkedText: (company: string, system: string) =>
    `${company} is not linked to a customer in ${system} yet. The link is made when billing is set up for a deal.`,

  creditHold: 'Credit hold',
  outstanding: 'Outstanding',
  overdue: 'Overdue',
  dso: 'DSO',
  averageDaysToPay: 'Average days to pay',
  currencyHeading: (currency: string) => `Receivables in ${currency}`,
  aging: 'Aging',
  buckets: {
    current: 'Current',
    days_1_30: '1–30 days past due',
    days_31_60: '31–60 days past due',
    days_61_90: '61–90 days past due',
    days_over_90: 'Over 90 days past due',
  },
  openInvoices: 'Open invoices',
  noOpenInvoices: 'No open invoices.',
  invoice: 'Invoice',
  due: 'Due',
  amountDue: 'Amount due',
  daysPastDue: 'Days late',
  notYetDue: 'Not due',
  lastPayment: (amount: string, on: string, invoice: string) => `Last payment: ${amount} on ${on} (invoice ${invoice})`,
  noPayment: 'No payment received yet.',
  openCustomer: (system: string) => `Open the customer in ${system}`,
  asOf: (when: string) => `Figures as of ${when}`,
  neverRefreshed: 'Invoices have not been read from the finance system yet.',
} as const;
