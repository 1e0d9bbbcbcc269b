import { createHash } from 'node:crypto';
import { loadDealContext } from '../app/deal-context.js';
import {
  acceptIntoBaseline,
  type BaselineAddress,
  type BaselineCustomer,
  correctionKey,
  type DetectedCorrection,
  diffBaseline,
  handoffFieldOf,
  parseLineSubject,
  type SyncedBaseline,
  type VendorReading,
  valueKey,
  withFirstSight,
} from '../corrections/detect.js';
import { validateField } from '../handoff/fields.js';
import type { FinanceCustomer, FinanceSystem, FinanceSystemId } from '../integrations/finance/port.js';
import { writeHandoffData } from '../integrations/hubspot/handoff-codec.js';
import type { InvoiceSnapshot } from '../receivables/invoice.js';
import type { PortalSettings } from '../settings/portal-settings.js';
import { type CorrectionRow, correctionsStore } from '../store/corrections-store.js';
import { financeStore } from '../store/finance-store.js';
import { portalStore } from '../store/portal-store.js';
import type { FinanceJobDeps } from './finance-jobs.js';

/**
 * Manual-correction detection, run inside every receivables refresh (finance webhooks and the reconciliation sweep
 * both end there): for each live billing setup of the customer's company, the finance system's current customer
 * and the invoices we created are compared with the setup's synced baseline. Each difference is recorded once,
 * appended as a `manual_correction` metric fact, and handled by the portal's policy: `adopt` writes the value back
 * to HubSpot (deal/company/billing contact through the handoff codec; an invoice's PO number to the deal's PO number)
 * and the stored handoff data and makes it the new baseline (invoice lines, total and dates have no HubSpot home:
 * they are accepted into the baseline with a note); `flag` leaves it on the deal card until finance or RevOps
 * acknowledges it. The first reading after our own write (setup, issuing an invoice) is the baseline, so our writes
 * are never reported. Compared: customer legal name, billing email, address and terms; per invoice we created, its
 * total, dates, PO number and lines (description, quantity, unit amount, amount, tax code).
 *
 * API budget: one customer read per refresh (the invoice list is the refresh's own read).
 */

/** Longer dedupe keys are stored as their SHA-256 digest. */
const MAX_PLAIN_DEDUPE_KEY = 512;

/** The metric fact kind the monthly audit counts. */
export const MANUAL_CORRECTION_FACT = 'manual_correction';

/**
 * A finance customer as the baseline compares it. Pure.
 * @example baselineCustomerOf({ id: '1', legalName: 'Acme', paymentTerms: 'net_30', url }).paymentTerms // 'net_30'
 */
export function baselineCustomerOf(c: FinanceCustomer): BaselineCustomer {
  return {
    legalName: c.legalName,
    email: c.email?.trim() || null,
    address: c.address ? ({ ...c.address } as BaselineAddress) : null,
    paymentTerms: c.paymentTerms ?? null,
  };
}

/**
 * What the finance system holds now for one setup: the customer and the invoices we created. Pure.
 * @example vendorReadingOf(customer, snapshots, new Set(['inv-1'])).invoices['inv-1']?.total
 */
export function vendorReadingOf(
  customer: FinanceCustomer | null,
  invoices: ReadonlyArray<InvoiceSnapshot>,
  ours: ReadonlySet<string>,
): VendorReading {
  const reading: VendorReading = {
    customer: customer
      ? {
          ...baselineCustomerOf(customer),
          updatedAt: customer.updatedAt ?? null,
          updatedBy: customer.updatedBy ?? null,
        }
      : null,
    invoices: {},
  };
  for (const inv of invoices) {
    // A voided or deleted invoice is reported by the receivables figures, not as an edit of its amount.
    if (!ours.has(inv.id) || inv.status === 'void' || inv.status === 'written_off') continue;
    reading.invoices[inv.id] = {
      number: inv.number,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      total: inv.total,
      // Absent when the vendor's reading does not carry them: then they are not compared.
      ...(inv.poNumber !== undefined ? { poNumber: inv.poNumber?.trim() || null } : {}),
      ...(inv.lines
        ? {
            lines: inv.lines.map((l) => ({
              description: l.description,
              quantity: l.quantity,
              unitAmount: l.unitAmount,
              amount: l.amount,
              taxCode: l.taxCode ?? null,
            })),
          }
        : {}),
    };
  }
  return reading;
}

export interface CorrectionOutcome {
  recorded: CorrectionRow[];
}

/**
 * Compares what we synced with what the finance system holds for every live setup of the customer's company, and
 * records, counts and handles each new difference. `invoices` is the customer's invoice list the refresh just read.
 * @example await detectCorrections(deps, { portalId: 42, system: 'xero', customerId: 'c-1', finance, invoices })
 */
export async function detectCorrections(
  deps: FinanceJobDeps,
  input: {
    portalId: number;
    system: FinanceSystemId;
    customerId: string;
    finance: FinanceSystem;
    invoices: ReadonlyArray<InvoiceSnapshot>;
  },
): Promise<CorrectionOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const fstore = financeStore(deps.db, input.portalId);
  const cstore = correctionsStore(deps.db, input.portalId);
  const link = await fstore.links.byCustomer(input.system, input.customerId);
  if (!link) return { recorded: [] };
  const store = portalStore(deps.db, input.portalId);
  const setups = [];
  for (const s of await fstore.setups.byCompany(link.companyId)) {
    if (s.status !== 'live') continue;
    const full = await store.billing.setup(s.id);
    if (full && full.system === input.system) setups.push(full);
  }
  if (setups.length === 0) return { recorded: [] };
  const customer = await input.finance.findCustomer({ id: input.customerId });
  const settings = await store.installation.settings();
  const recorded: CorrectionRow[] = [];
  // Who made a change, where the finance system keeps it: one History read per record, only for new corrections.
  const asked = new Map<string, Promise<string | null>>();
  const who = (change: DetectedCorrection): Promise<string | null> => {
    if (change.by || !input.finance.whoChanged) return Promise.resolve(change.by);
    const record =
      change.subject === 'customer'
        ? { kind: 'customer' as const, id: input.customerId }
        : { kind: 'invoice' as const, id: parseLineSubject(change.subject)?.invoiceId ?? change.subject };
    const key = `${record.kind}:${record.id}`;
    let found = asked.get(key);
    if (!found) {
      found = input.finance.whoChanged(record, change.vendorUpdatedAt).catch((e: unknown) => {
        deps.logger.warn({ err: e, record }, 'could not read who changed the record; the correction names nobody');
        return null;
      });
      asked.set(key, found);
    }
    return found;
  };
  for (const setup of setups) {
    const held = await fstore.held.list(setup.id);
    const ours = new Set(held.map((h) => h.financeInvoiceId).filter((id): id is string => !!id));
    const reading = vendorReadingOf(customer?.id === input.customerId ? customer : null, input.invoices, ours);
    const stored = await cstore.baselines.get(setup.id);
    if (!stored || stored.customerId !== input.customerId) {
      // First sight (or the company now bills through another customer): what the vendor holds is what we synced.
      await cstore.baselines.put(setup.id, input.system, input.customerId, withFirstSight(null, reading, ours), now);
      continue;
    }
    let baseline = stored.state;
    for (const change of diffBaseline(baseline, reading)) {
      const row = await handle(deps, settings, { setup, change, baseline, now, portalId: input.portalId, who });
      if (!row) continue;
      recorded.push(row);
      if (row.status === 'adopted') baseline = acceptIntoBaseline(baseline, change);
    }
    const next = withFirstSight(baseline, reading, ours);
    if (JSON.stringify(next) !== JSON.stringify(stored.state)) {
      await cstore.baselines.put(setup.id, input.system, input.customerId, next, now);
    } else {
      await cstore.baselines.checked(setup.id, now);
    }
  }
  return { recorded };
}

async function handle(
  deps: FinanceJobDeps,
  settings: PortalSettings,
  ctx: {
    setup: { id: string; dealId: string; companyId: string | null; handoffId: string; system: FinanceSystemId };
    change: DetectedCorrection;
    baseline: SyncedBaseline;
    now: Date;
    portalId: number;
    who: (change: DetectedCorrection) => Promise<string | null>;
  },
): Promise<CorrectionRow | null> {
  const { setup, baseline, now, portalId } = ctx;
  const cstore = correctionsStore(deps.db, portalId);
  const rawKey = `${correctionKey(setup.id, ctx.change)}|${valueKey(ctx.change.before)}|r${baseline.revision ?? 0}`;
  // Invoice lines can carry descriptions of thousands of characters: a long key is stored as its digest, since the
  // unique index on it takes entries of a few kilobytes at most.
  const dedupeKey =
    rawKey.length > MAX_PLAIN_DEDUPE_KEY ? `sha256:${createHash('sha256').update(rawKey).digest('hex')}` : rawKey;
  // Seen before (a later sweep, a duplicate webhook): nothing to do.
  if (
    (await cstore.corrections.bySetup(setup.id)).some((r) => r.status !== 'superseded' && sameChange(r, ctx.change))
  ) {
    return null;
  }
  const change: DetectedCorrection = { ...ctx.change, by: await ctx.who(ctx.change) };
  const policy = settings.manualCorrections;
  let status: 'adopted' | 'flagged' = policy === 'adopt' ? 'adopted' : 'flagged';
  let writebackNote: string | null = null;
  if (policy === 'adopt') {
    const result = await adopt(deps, settings, portalId, setup, change);
    if (!result.ok) status = 'flagged';
    writebackNote = result.note;
  }
  const row = await cstore.corrections.record({
    setupId: setup.id,
    dealId: setup.dealId,
    companyId: setup.companyId,
    system: setup.system,
    subject: change.subject,
    subjectLabel: change.subjectLabel,
    field: change.field,
    before: change.before,
    after: change.after,
    vendorUpdatedAt: change.vendorUpdatedAt,
    by: change.by,
    detectedAt: now,
    policy,
    status,
    writebackNote,
    dedupeKey,
  });
  if (!row) return null;
  if (row.status === 'flagged') await cstore.corrections.supersede(setup.id, row.subject, row.field, row.id);
  await financeStore(deps.db, portalId).facts.append(
    MANUAL_CORRECTION_FACT,
    setup.dealId,
    change.vendorUpdatedAt ?? now,
    {
      correctionId: row.id,
      system: setup.system,
      field: change.field,
      subject: change.subject,
      before: change.before,
      after: change.after,
      dealId: setup.dealId,
      companyId: setup.companyId,
      setupId: setup.id,
      by: change.by,
      policy,
      outcome: row.status,
      detectedAt: now.toISOString(),
    },
  );
  return row;
}

/** The same change as a recorded one in the same baseline: same subject, field, before and after. */
function sameChange(r: CorrectionRow, c: DetectedCorrection): boolean {
  return (
    r.subject === c.subject &&
    r.field === c.field &&
    valueKey(r.before) === valueKey(c.before) &&
    valueKey(r.after) === valueKey(c.after) &&
    (r.status === 'flagged' || (r.vendorUpdatedAt?.getTime() ?? 0) === (c.vendorUpdatedAt?.getTime() ?? 0))
  );
}

/**
 * Adopt: the finance system's value becomes the handoff's — written to HubSpot (the properties the handoff codec
 * maps the field to) and to the stored handoff data. A value the handoff cannot take (terms we cannot express, an
 * email HubSpot would refuse, an invoice field with no HubSpot home) is not adopted: it is flagged with the reason.
 */
async function adopt(
  deps: FinanceJobDeps,
  settings: PortalSettings,
  portalId: number,
  setup: { dealId: string; handoffId: string },
  change: DetectedCorrection,
): Promise<{ ok: boolean; note: string | null }> {
  const key = handoffFieldOf(change.field);
  if (!key) {
    return {
      ok: true,
      note:
        change.field === 'invoiceLine'
          ? 'Accepted as the new baseline; invoice lines have no HubSpot property'
          : 'Accepted as the new baseline; this invoice field has no HubSpot property',
    };
  }
  if (change.field === 'paymentTerms' && (change.after === 'other' || change.after === null)) {
    return { ok: false, note: 'These payment terms have no code in Revenue Handoff; review them by hand' };
  }
  const crm = deps.crmFor(portalId);
  const deal = await loadDealContext(crm, settings, setup.dealId);
  const values = deal.values as Record<string, unknown>;
  if (key === 'billingContact' && !deal.billingContact) {
    return { ok: false, note: 'The deal has no billing (AP) contact in HubSpot to write the email to' };
  }
  if ((key === 'billingEntityLegalName' || key === 'billingAddress') && !deal.company) {
    return { ok: false, note: 'The deal has no associated company in HubSpot to write this to' };
  }
  const patch: Record<string, unknown> = {};
  if (key === 'billingContact') {
    const contact = (values.billingContact ?? {}) as Record<string, unknown>;
    patch.billingContact = { ...contact, email: change.after };
  } else if (key === 'poNumber') {
    // A PO removed in the finance system clears the handoff's PO number.
    patch.poNumber = change.after ?? '';
  } else {
    patch[key] = change.after;
  }
  for (const [k, v] of Object.entries(patch)) {
    const checked = validateField(k, v);
    if (!checked.ok) {
      const why = checked.issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ');
      return { ok: false, note: `The handoff cannot take this value (${why}); review it by hand` };
    }
    patch[k] = checked.value;
  }
  if (key === 'paymentTerms' && values.billingPlan && typeof values.billingPlan === 'object') {
    patch.billingPlan = { ...(values.billingPlan as Record<string, unknown>), paymentTerms: change.after };
  }
  const writes = writeHandoffData(patch);
  if (Object.keys(writes.contacts).length > 0 && !deal.billingContact) {
    return { ok: false, note: 'The deal has no billing (AP) contact in HubSpot to write the email to' };
  }
  if (Object.keys(writes.companies).length > 0 && !deal.company) {
    return { ok: false, note: 'The deal has no associated company in HubSpot to write this to' };
  }
  if (Object.keys(writes.deals).length > 0)
    await crm.batchUpdateDeals([{ id: setup.dealId, properties: writes.deals }]);
  if (deal.company && Object.keys(writes.companies).length > 0) {
    await crm.batchUpdateCompanies([{ id: deal.company.id, properties: writes.companies }]);
  }
  if (deal.billingContact && Object.keys(writes.contacts).length > 0) {
    await crm.batchUpdateContacts([{ id: deal.billingContact.id, properties: writes.contacts }]);
  }
  const store = portalStore(deps.db, portalId);
  const stored = await store.handoffs.get(setup.handoffId);
  if (stored) {
    await store.handoffs.update({
      ...stored,
      data: { ...(stored.data as Record<string, unknown>), ...patch } as never,
    });
  }
  return { ok: true, note: null };
}

/**
 * Acknowledges a flagged correction (finance or RevOps reviewed it): it becomes the new baseline.
 * @example await acknowledgeCorrectionIn(db, 42, correctionId, '77', new Date())
 */
export async function acknowledgeCorrectionIn(
  db: FinanceJobDeps['db'],
  portalId: number,
  correctionId: string,
  userId: string,
  at: Date,
): Promise<CorrectionRow | null> {
  return db.transaction(async (tx) => {
    const cstore = correctionsStore(tx, portalId);
    const row = await cstore.corrections.acknowledge(correctionId, userId, at);
    if (!row) return null;
    const base = await cstore.baselines.get(row.setupId);
    if (base) {
      await cstore.baselines.put(row.setupId, row.system, base.customerId, acceptIntoBaseline(base.state, row), at);
    }
    return row;
  });
}
