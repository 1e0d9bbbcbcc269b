import { describe, expect, it } from '@jest/globals';
import { PAYMENT_TERMS_CATALOG } from '../../src/billing/payment-terms.js';
import {
  fieldDefinition,
  HANDOFF_FIELD_KEYS,
  HANDOFF_FIELDS,
  HandoffDataSchema,
  isPresent,
  validateField,
} from '../../src/handoff/fields.js';
import { caught, completeFinanceData, completeSalesData } from './fixtures.js';

describe('field catalog', () => {
  it('describes every field with a label, a section, a type and help text', () => {
    for (const f of HANDOFF_FIELDS) {
      expect(f.label.length).toBeGreaterThan(0);
      expect(['commercial', 'billing', 'stakeholders', 'delivery']).toContain(f.section);
      expect(f.type.length).toBeGreaterThan(0);
      expect(f.help.length).toBeGreaterThan(10);
    }
    expect(HANDOFF_FIELDS.map((f) => f.key)).toEqual(HANDOFF_FIELD_KEYS);
  });

  it('offers the payment-terms catalog as the options of the payment terms field, and still accepts custom net terms', () => {
    const terms = fieldDefinition('paymentTerms');
    expect(terms.type).toBe('enum');
    expect(terms.options?.map((o) => o.value)).toEqual(PAYMENT_TERMS_CATALOG.map((t) => t.code));
    expect(terms.openOptions).toBe(true);
    expect(validateField('paymentTerms', 'net_90')).toEqual({ ok: true, value: 'net_90' });
  });

  it('offers every billing model as an option', () => {
    expect(fieldDefinition('billingModel').options?.map((o) => o.value)).toEqual([
      'subscription',
      'retainer',
      'milestone',
      'hourly',
      'one_time',
      'usage',
    ]);
  });

  it('throws a DomainError suggesting the nearest key when asked for an unknown field', () => {
    const err = caught(() => fieldDefinition('poNumbr'));
    expect(err.code).toBe('invalid_input');
    expect(err.path).toBe('key');
    expect(err.message).toContain('"poNumbr" is not a handoff field (did you mean "poNumber"?)');
  });
});

describe('HandoffDataSchema', () => {
  it('accepts a complete Sales → CS and CS → Finance handoff', () => {
    expect(HandoffDataSchema.safeParse({ ...completeSalesData, ...completeFinanceData }).success).toBe(true);
  });

  it('accepts an empty handoff, because completeness is the template’s job', () => {
    expect(HandoffDataSchema.parse({})).toEqual({});
  });

  it('refuses unknown keys so that a misspelled key cannot silently drop a value', () => {
    const result = HandoffDataSchema.safeParse({ poNumbr: '123' });
    expect(result.success).toBe(false);
  });

  it('treats an emptied text box or null as no value', () => {
    expect(HandoffDataSchema.parse({ poNumber: '   ', championEmail: null })).toEqual({});
  });
});

describe('validateField (instant feedback in the card)', () => {
  it('accepts a valid email and normalises it to lower case', () => {
    expect(validateField('championEmail', 'Chris@Acme.Example')).toEqual({ ok: true, value: 'chris@acme.example' });
  });

  it('says what is wrong with a bad email in words a rep understands', () => {
    const r = validateField('championEmail', 'chris-at-acme');
    expect(r).toMatchObject({ ok: false, message: 'must be an email address such as ap@customer.com' });
  });

  it('refuses a link that is not http(s), such as javascript:', () => {
    expect(validateField('signedOrderFormUrl', 'javascript:alert(1)')).toMatchObject({
      ok: false,
      message: 'must be a web link starting with https://',
    });
  });

  it('refuses a date that does not exist', () => {
    expect(validateField('startDate', '2026-02-30')).toMatchObject({
      ok: false,
      message: 'is not a real calendar date',
    });
  });

  it('refuses a fractional discount and names the unit', () => {
    expect(validateField('discountBasisPoints', 12.5)).toMatchObject({
      ok: false,
      message: 'must be a whole number of basis points (1000 = 10%)',
    });
  });

  it('refuses a discount above 100%', () => {
    expect(validateField('discountBasisPoints', 10_001)).toMatchObject({
      ok: false,
      message: 'cannot exceed 100% (10000 basis points)',
    });
  });

  it('names the nested path of a bad billing-plan value', () => {
    const r = validateField('billingPlan', {
      currency: 'USD',
      startDate: '2026-04-01',
      endDate: '2026-06-30',
      paymentTerms: 'net_30',
      components: [{ kind: 'hourly', rate: { amount: 0, currency: 'USD' }, capHoursPerPeriod: 20 }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toBe('components[0].rate.amount must be more than zero');
      expect(r.issues[0]).toEqual({ path: 'billingPlan.components[0].rate.amount', message: 'must be more than zero' });
    }
  });

  it('refuses a yes/no answer given as text', () => {
    expect(validateField('poRequired', 'yes')).toMatchObject({ ok: false, message: 'must be yes or no' });
  });

  it('refuses a stakeholder without a role, naming the list position', () => {
    const r = validateField('stakeholders', [{ name: 'Dana' }]);
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.message).toContain('[0].role');
  });

  it('accepts a cleared value as "no value"', () => {
    expect(validateField('poNumber', '')).toEqual({ ok: true, value: undefined });
  });

  it('throws for a key that is not a field, because that is a programming error, not a user error', () => {
    expect(caught(() => validateField('nope', 'x')).code).toBe('invalid_input');
  });
});

describe('isPresent', () => {
  it('counts false as an answer but not empty text or an empty list', () => {
    expect(isPresent(false)).toBe(true);
    expect(isPresent(0)).toBe(true);
    expect(isPresent('  ')).toBe(false);
    expect(isPresent([])).toBe(false);
    expect(isPresent(undefined)).toBe(false);
  });
});
