/** The fields a manual correction can name (src/corrections/detect.ts compares them) and how people name them. */
export const CORRECTION_FIELDS = [
  'legalName',
  'billingEmail',
  'billingAddress',
  'paymentTerms',
  'invoiceTotal',
  'invoiceIssueDate',
  'invoiceDueDate',
  'invoicePoNumber',
  'invoiceLine',
] as const;
export type CorrectionField = (typeof CORRECTION_FIELDS)[number];

const FIELD_LABELS: Record<CorrectionField, string> = {
  legalName: 'Legal name',
  billingEmail: 'Billing email',
  billingAddress: 'Billing address',
  paymentTerms: 'Payment terms',
  invoiceTotal: 'Invoice total',
  invoiceIssueDate: 'Invoice date',
  invoiceDueDate: 'Invoice due date',
  invoicePoNumber: 'PO number',
  invoiceLine: 'Invoice line',
};

/**
 * The readable name of a correction field, for the card and the monthly audit; unknown keys are returned as given.
 * @example correctionFieldLabel('invoicePoNumber') // 'PO number'
 */
export function correctionFieldLabel(field: string): string {
  return (FIELD_LABELS as Record<string, string>)[field] ?? field;
}
