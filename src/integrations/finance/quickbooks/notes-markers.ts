/**
 * Where our identifiers live inside QuickBooks records, and why there:
 * - the customer's external reference (e.g. `hs-company-123`) is a marker line in `Customer.Notes`. QuickBooks has
 *   no external-id field on customers: `ResaleNum` is a 16-character tax field, customer custom fields are not in
 *   the v3 API, and every name field is shown to people. Notes are internal, 2000 characters, kept by sparse updates.
 * - the invoice reference (setup + schedule key) is a marker line in `Invoice.PrivateNote` (internal, 4000
 *   characters, never printed on the invoice). `DocNumber` is the customer-facing invoice number, limited to 21
 *   characters and governed by the company's "custom transaction numbers" setting, so we leave it to QuickBooks.
 * - a held invoice shown ahead as an Estimate carries the same reference in its own marker line in
 *   `Estimate.PrivateNote` (the invoice made from it later carries the invoice marker).
 * Neither field can be filtered in the query language, so lookups fetch candidates by a filterable field
 * (CustomerRef, PrimaryEmailAddr, DisplayName) and match the marker here. Voiding prepends "Voided" to the private
 * note, so markers are searched anywhere in the text, not only at its start.
 */

const CUSTOMER_PREFIX = 'Revenue Handoff ref:';
const INVOICE_PREFIX = 'Revenue Handoff invoice ref:';
const ESTIMATE_PREFIX = 'Revenue Handoff estimate ref:';

function markerRe(prefix: string): RegExp {
  return new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} *(\\S+)`);
}

function read(prefix: string, text: string | undefined): string | undefined {
  if (!text) return undefined;
  return markerRe(prefix).exec(text)?.[1];
}

function write(prefix: string, text: string | undefined, ref: string): string {
  const line = `${prefix} ${ref}`;
  const rest = (text ?? '')
    .split('\n')
    .filter((l) => !markerRe(prefix).test(l))
    .join('\n')
    .trim();
  return rest ? `${line}\n${rest}` : line;
}

/** Our external reference in customer notes. @example customerRefFromNotes('Revenue Handoff ref: hs-company-1') // 'hs-company-1' */
export function customerRefFromNotes(notes: string | undefined): string | undefined {
  return read(CUSTOMER_PREFIX, notes);
}

/** Notes with our marker line first, keeping what people wrote. @example withCustomerRef('VIP', 'hs-company-1') */
export function withCustomerRef(notes: string | undefined, ref: string): string {
  return write(CUSTOMER_PREFIX, notes, ref);
}

/** Our invoice reference in a private note. @example invoiceRefFromNote('Voided - Revenue Handoff invoice ref: s1') // 's1' */
export function invoiceRefFromNote(note: string | undefined): string | undefined {
  return read(INVOICE_PREFIX, note);
}

/** A private note carrying our invoice reference. @example withInvoiceRef(undefined, 'setup-1:2026-03') */
export function withInvoiceRef(note: string | undefined, ref: string): string {
  return write(INVOICE_PREFIX, note, ref);
}

/** Our reference on an Estimate (a scheduled invoice shown ahead in QuickBooks). @example estimateRefFromNote('Revenue Handoff estimate ref: s1:c0-p2') // 's1:c0-p2' */
export function estimateRefFromNote(note: string | undefined): string | undefined {
  return read(ESTIMATE_PREFIX, note);
}

/** A private note carrying our estimate reference. @example withEstimateRef(undefined, 'setup-1:c0-p2') */
export function withEstimateRef(note: string | undefined, ref: string): string {
  return write(ESTIMATE_PREFIX, note, ref);
}

/**
 * The customer-facing "PO: …" line of an invoice's CustomerMemo, where the PO number goes when no sales custom field
 * is configured for it (QuickBooks prints the memo on the invoice).
 * @example poMemoLine('4500012345') // 'PO: 4500012345'
 */
export function poMemoLine(po: string): string {
  return `PO: ${po}`;
}

/** The PO number of a CustomerMemo's "PO: …" line. @example poFromMemo('PO: 4500012345\nThanks') // '4500012345' */
export function poFromMemo(memo: string | undefined): string | null {
  return /^PO: *(.*)$/m.exec(memo ?? '')?.[1]?.trim() || null;
}

/** A CustomerMemo with its PO line set to `po` (replaced, else added first). @example withPoInMemo('Thanks', 'PO-2') // 'PO: PO-2\nThanks' */
export function withPoInMemo(memo: string | undefined, po: string): string {
  const text = memo ?? '';
  return /^PO: /m.test(text) ? text.replace(/^PO: .*$/m, poMemoLine(po)) : `${poMemoLine(po)}\n${text}`.trim();
}
