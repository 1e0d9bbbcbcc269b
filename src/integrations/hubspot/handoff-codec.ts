import { formatDay } from '../../core/dates.js';
import { fromDecimalString, type Money, toDecimalString } from '../../core/money.js';
import {
  fieldDefinition,
  HANDOFF_FIELD_KEYS,
  type HandoffDataInput,
  type HandoffFieldKey,
} from '../../handoff/fields.js';
import type { CrmRecord, PropertyValue } from './client.js';
import { type FieldStorage, HANDOFF_FIELD_PROPERTIES, type PropertyRef } from './properties.js';

/**
 * Handoff values ↔ HubSpot property strings, following HANDOFF_FIELD_PROPERTIES. Reading never throws: a value a
 * person typed into HubSpot by hand that does not parse is passed on as it is, so the evaluation reports the field
 * as invalid with a reason instead of the whole card failing.
 */

/** The records a deal's handoff values live on. */
export interface HandoffRecords {
  deal: CrmRecord;
  company: CrmRecord | null;
  billingContact: CrmRecord | null;
}

export type PropertyWrites = Record<PropertyRef['object'], Record<string, PropertyValue>>;

function prop(records: HandoffRecords, ref: PropertyRef): string | null {
  const rec =
    ref.object === 'deals' ? records.deal : ref.object === 'companies' ? records.company : records.billingContact;
  const v = rec?.properties[ref.property];
  return v === undefined || v === null || v === '' ? null : v;
}

function readScalar(key: HandoffFieldKey, raw: string): unknown {
  switch (fieldDefinition(key).type) {
    case 'number':
    case 'basisPoints': {
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'date':
      // HubSpot date properties come back as YYYY-MM-DD, or as epoch milliseconds at midnight UTC.
      return /^\d{10,}$/.test(raw) ? formatDay(new Date(Number(raw))) : raw.slice(0, 10);
    default:
      return raw;
  }
}

function readField(key: HandoffFieldKey, storage: FieldStorage, records: HandoffRecords): unknown {
  switch (storage.shape) {
    case 'value': {
      const raw = prop(records, storage.at);
      return raw === null ? undefined : readScalar(key, raw);
    }
    case 'json': {
      const raw = prop(records, storage.at);
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    }
    case 'money': {
      const amount = prop(records, storage.amount);
      const currency = prop(records, storage.currency);
      if (amount === null) return undefined;
      if (!currency) return { amount: Number.NaN, currency: '' };
      try {
        return fromDecimalString(amount, currency);
      } catch {
        return { amount: Number.NaN, currency };
      }
    }
    case 'parts': {
      const out: Record<string, string> = {};
      for (const [part, ref] of Object.entries(storage.parts)) {
        const refs = Array.isArray(ref) ? ref : [ref as PropertyRef];
        const joined = refs
          .map((r) => prop(records, r))
          .filter((v): v is string => v !== null)
          .join(' ');
        if (joined) out[part] = joined;
      }
      return Object.keys(out).length ? out : undefined;
    }
  }
}

/**
 * The handoff values stored on a deal, its company and its billing contact.
 * @example readHandoffData({ deal, company, billingContact: null }).paymentTerms // 'net_30'
 */
export function readHandoffData(records: HandoffRecords): HandoffDataInput {
  const out: Record<string, unknown> = {};
  for (const key of HANDOFF_FIELD_KEYS) {
    const v = readField(key, HANDOFF_FIELD_PROPERTIES[key] as FieldStorage, records);
    if (v !== undefined) out[key] = v;
  }
  return out as HandoffDataInput;
}

function scalarToProperty(value: unknown): PropertyValue {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/**
 * The property writes for changed handoff values (already validated); undefined/null/'' clears a property.
 * @example writeHandoffData({ poNumber: 'PO-7' }).deals // { rh_po_number: 'PO-7' }
 */
export function writeHandoffData(values: Partial<Record<HandoffFieldKey, unknown>>): PropertyWrites {
  const out: PropertyWrites = { deals: {}, companies: {}, contacts: {} };
  const set = (ref: PropertyRef, v: PropertyValue) => {
    out[ref.object][ref.property] = v;
  };
  for (const [key, value] of Object.entries(values) as Array<[HandoffFieldKey, unknown]>) {
    const storage = HANDOFF_FIELD_PROPERTIES[key] as FieldStorage | undefined;
    if (!storage) continue;
    const empty = value === undefined || value === null || value === '';
    switch (storage.shape) {
      case 'value':
        set(storage.at, scalarToProperty(value));
        break;
      case 'json':
        set(storage.at, empty ? null : JSON.stringify(value));
        break;
      case 'money': {
        const m = value as Money | undefined;
        set(storage.amount, empty || !m ? null : toDecimalString(m));
        if (!empty && m) set(storage.currency, m.currency);
        break;
      }
      case 'parts': {
        const obj = (empty ? {} : value) as Record<string, unknown>;
        for (const [part, ref] of Object.entries(storage.parts)) {
          const v = obj[part];
          if (Array.isArray(ref)) {
            // A name over firstname + lastname: the last word is the last name.
            const text = typeof v === 'string' ? v.trim() : '';
            const cut = text.lastIndexOf(' ');
            const [first, last] = cut > 0 ? [text.slice(0, cut), text.slice(cut + 1)] : [text, ''];
            set(ref[0] as PropertyRef, first || null);
            if (ref[1]) set(ref[1] as PropertyRef, last || null);
          } else {
            set(ref as PropertyRef, scalarToProperty(v));
          }
        }
        break;
      }
    }
  }
  return out;
}
