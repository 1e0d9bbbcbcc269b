import { describe, expect, it } from '@jest/globals';
import { LINE_ITEM_TAX_PROPERTIES } from '../../../src/app/line-item-tax.js';
import { BillingModelSchema } from '../../../src/billing/plan.js';
import { HANDOFF_FIELD_KEYS } from '../../../src/handoff/fields.js';
import { HANDOFF_STATES } from '../../../src/handoff/lifecycle.js';
import {
  type CrmObjectType,
  DEAL_CONTEXT_PROPERTIES,
  HANDOFF_FIELD_PROPERTIES,
  handoffPropertiesOf,
  type PropertyDefinition,
  REVENUE_HANDOFF_PROPERTIES,
  refsOf,
} from '../../../src/integrations/hubspot/properties.js';
import { STANDARD_PROPERTIES } from '../../../src/integrations/hubspot/sandbox/catalog.js';
import { AGING_BUCKETS } from '../../../src/receivables/aging.js';

const defs = (type: CrmObjectType): PropertyDefinition[] => [...(REVENUE_HANDOFF_PROPERTIES.properties[type] ?? [])];
const optionValues = (type: CrmObjectType, name: string) =>
  defs(type)
    .find((d) => d.name === name)
    ?.options?.map((o) => o.value);

describe('our HubSpot properties', () => {
  it('are snake_case, prefixed rh_, unique per object type, in the revenue_handoff group', () => {
    expect(REVENUE_HANDOFF_PROPERTIES.group.name).toBe('revenue_handoff');
    for (const type of ['deals', 'companies', 'line_items'] as const) {
      const names = defs(type).map((d) => d.name);
      expect(new Set(names).size).toBe(names.length);
      for (const name of names) expect(name).toMatch(/^rh_[a-z0-9]+(_[a-z0-9]+)*$/);
    }
  });

  it('use the app’s own names for states, buckets, risk levels and billing models (one concept, one name)', () => {
    expect(optionValues('deals', 'rh_handoff_status')).toEqual([...HANDOFF_STATES]);
    expect(optionValues('companies', 'rh_risk_level')).toEqual(['none', 'low', 'medium', 'high']);
    expect(optionValues('deals', 'rh_billing_model')).toEqual([...BillingModelSchema.options]);
    const companyNames = defs('companies').map((d) => d.name);
    for (const bucket of AGING_BUCKETS) expect(companyNames).toContain(`rh_aging_${bucket}`);
    expect(optionValues('deals', 'rh_billing_status')).toEqual(optionValues('companies', 'rh_billing_status'));
  });

  it('carry every receivables figure the company card and lists need', () => {
    const names = defs('companies').map((d) => d.name);
    for (const name of [
      'rh_overdue_amount',
      'rh_days_past_due',
      'rh_oldest_due_date',
      'rh_risk_level',
      'rh_credit_hold',
      'rh_billing_status',
      'rh_finance_customer_id',
      'rh_finance_customer_url',
      'rh_payment_status_as_of',
    ]) {
      expect(names).toContain(name);
    }
    expect(defs('companies').find((d) => d.name === 'rh_credit_hold')).toMatchObject({
      type: 'bool',
      fieldType: 'booleancheckbox',
    });
  });

  it('give line items the tax code and inclusive flag the billing plan reads from them', () => {
    expect(defs('line_items').map((d) => d.name)).toEqual(
      [...LINE_ITEM_TAX_PROPERTIES].filter((p) => p.startsWith('rh_')),
    );
    expect(defs('line_items').find((d) => d.name === 'rh_tax_code')).toMatchObject({
      label: 'Tax code in the finance system',
      type: 'string',
      formField: true,
    });
    expect(optionValues('line_items', 'rh_tax_inclusive')).toEqual(['true', 'false']);
    expect(defs('line_items').every((d) => d.formField)).toBe(true);
  });

  it('pair each data type with a form control HubSpot accepts for it', () => {
    const allowed: Record<string, string[]> = {
      string: ['text', 'textarea'],
      number: ['number'],
      date: ['date'],
      datetime: ['date'],
      enumeration: ['select'],
      bool: ['booleancheckbox'],
    };
    for (const d of [...defs('deals'), ...defs('companies'), ...defs('line_items')]) {
      expect(allowed[d.type]).toContain(d.fieldType);
      if (d.type === 'enumeration' || d.type === 'bool') expect(d.options?.length).toBeGreaterThan(0);
    }
  });
});

describe('HANDOFF_FIELD_PROPERTIES', () => {
  it('says where every handoff field is stored', () => {
    expect(Object.keys(HANDOFF_FIELD_PROPERTIES).sort()).toEqual([...HANDOFF_FIELD_KEYS].sort());
  });

  it('points only at standard HubSpot properties or ones we define', () => {
    for (const storage of Object.values(HANDOFF_FIELD_PROPERTIES)) {
      for (const ref of refsOf(storage)) {
        const standard = STANDARD_PROPERTIES[ref.object].some((p) => p.name === ref.property);
        const ours = defs(ref.object).some((d) => d.name === ref.property);
        expect({ ref, known: standard || ours }).toEqual({ ref, known: true });
        expect(standard && ours).toBe(false);
      }
    }
  });

  it('uses the standard properties where HubSpot has one', () => {
    expect(HANDOFF_FIELD_PROPERTIES.contractValue).toEqual({
      shape: 'money',
      amount: { object: 'deals', property: 'amount' },
      currency: { object: 'deals', property: 'deal_currency_code' },
    });
    expect(HANDOFF_FIELD_PROPERTIES.currency).toEqual({
      shape: 'value',
      at: { object: 'deals', property: 'deal_currency_code' },
    });
    expect(handoffPropertiesOf('companies')).toEqual([
      'address',
      'address2',
      'city',
      'country',
      'rh_billing_entity_legal_name',
      'state',
      'zip',
    ]);
    expect(handoffPropertiesOf('contacts')).toEqual(['email', 'firstname', 'lastname', 'phone']);
  });

  it('reads context properties that exist', () => {
    for (const name of DEAL_CONTEXT_PROPERTIES) {
      const known =
        STANDARD_PROPERTIES.deals.some((p) => p.name === name) || defs('deals').some((d) => d.name === name);
      expect({ name, known }).toEqual({ name, known: true });
    }
  });
});
