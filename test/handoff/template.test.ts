import { describe, expect, it } from '@jest/globals';
import { HANDOFF_FIELD_KEYS, type HandoffFieldKey } from '../../src/handoff/fields.js';
import { HANDOFF_RULES } from '../../src/handoff/rules.js';
import {
  type HandoffTemplate,
  meetsEntryCriteria,
  resolveReceivingOwner,
  validateTemplate,
} from '../../src/handoff/template.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { DEFAULT_SALES_TO_CS } from '../../src/handoff/templates/default-sales-to-cs.js';
import { caught } from './fixtures.js';

/** Fields a template can end up asking for: its required list plus what its switched-on rules judge. */
function fieldsAskedFor(t: HandoffTemplate): Set<HandoffFieldKey> {
  return new Set([...t.requiredFields.map((r) => r.field), ...t.rules.flatMap((r) => HANDOFF_RULES[r.rule].fields)]);
}

describe('default templates', () => {
  it('are valid templates', () => {
    expect(validateTemplate(DEFAULT_SALES_TO_CS)).toEqual(DEFAULT_SALES_TO_CS);
    expect(validateTemplate(DEFAULT_CS_TO_FINANCE)).toEqual(DEFAULT_CS_TO_FINANCE);
  });

  it('Sales → CS asks for every field ARCHITECTURE §3 lists', () => {
    // goals & success criteria, use case, stakeholders with roles, contract terms, promises, risks/gaps, timeline,
    // kickoff timing, reporting format, expansion hypothesis, support expectations
    const expected: HandoffFieldKey[] = [
      'customerGoals',
      'primaryUseCase',
      'stakeholders',
      'contractTermsSummary',
      'promisesMade',
      'knownRisks',
      'implementationTimeline',
      'kickoffDate',
      'reportingFormat',
      'expansionHypothesis',
      'supportExpectations',
    ];
    const asked = fieldsAskedFor(DEFAULT_SALES_TO_CS);
    for (const key of expected) expect([key, asked.has(key)]).toEqual([key, true]);
    expect(DEFAULT_SALES_TO_CS.rules.map((r) => r.rule)).toContain('stakeholders_name_buyer_and_day_to_day');
  });

  it('CS → Finance asks for every field ARCHITECTURE §3 lists', () => {
    // order form, billing entity, AP contact distinct from champion, address, start/renewal, terms, PO when required,
    // discounts with approval, usage commitments, implementation fee, non-standard clauses (+ finance approval),
    // renewal/cancellation terms, billing model and schedule, currency, contract value
    const expected: HandoffFieldKey[] = [
      'signedOrderFormUrl',
      'billingEntityLegalName',
      'billingContact',
      'championEmail',
      'billingAddress',
      'startDate',
      'renewalDate',
      'paymentTerms',
      'poRequired',
      'poNumber',
      'discountBasisPoints',
      'discountApproval',
      'usageCommitments',
      'implementationFee',
      'nonStandardClauses',
      'financeApproval',
      'renewalTerms',
      'billingModel',
      'billingPlan',
      'currency',
      'contractValue',
    ];
    const asked = fieldsAskedFor(DEFAULT_CS_TO_FINANCE);
    for (const key of expected) expect([key, asked.has(key)]).toEqual([key, true]);
  });

  it('CS → Finance switches on every finance rule, with the credit suggestion as a warning', () => {
    const rules = DEFAULT_CS_TO_FINANCE.rules;
    expect(rules.map((r) => r.rule).sort()).toEqual(
      Object.keys(HANDOFF_RULES)
        .filter((r) => r !== 'stakeholders_name_buyer_and_day_to_day')
        .sort(),
    );
    expect(rules.find((r) => r.rule === 'credit_suggestion')?.severity).toBe('warning');
  });

  it('hands Sales → CS and then CS → Finance, with SLAs in business hours and rejection reasons', () => {
    expect([DEFAULT_SALES_TO_CS.fromTeam, DEFAULT_SALES_TO_CS.toTeam]).toEqual(['sales', 'customer_success']);
    expect([DEFAULT_CS_TO_FINANCE.fromTeam, DEFAULT_CS_TO_FINANCE.toTeam]).toEqual(['customer_success', 'finance']);
    for (const t of [DEFAULT_SALES_TO_CS, DEFAULT_CS_TO_FINANCE]) {
      expect(t.sla.calendar).toBe('business');
      expect(t.rejectionReasons.length).toBeGreaterThan(2);
      expect(t.exceptionOwnerRole).toBe('revops');
    }
  });

  it('only lists known field keys', () => {
    for (const t of [DEFAULT_SALES_TO_CS, DEFAULT_CS_TO_FINANCE]) {
      for (const r of t.requiredFields) expect(HANDOFF_FIELD_KEYS).toContain(r.field);
    }
  });
});

describe('validateTemplate', () => {
  it('names an unknown field key with its path and the nearest known key', () => {
    const err = caught(() =>
      validateTemplate({
        ...DEFAULT_CS_TO_FINANCE,
        requiredFields: [{ field: 'poNumbr', required: 'always', severity: 'blocking' }],
      }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.path).toBe('template.requiredFields[0].field');
    expect(err.message).toBe(
      'template.requiredFields[0].field: "poNumbr" is not a handoff field (did you mean "poNumber"?)',
    );
  });

  it('refuses a condition on an unknown field', () => {
    const err = caught(() =>
      validateTemplate({
        ...DEFAULT_CS_TO_FINANCE,
        requiredFields: [{ field: 'poNumber', required: { when: { field: 'needsPo', truthy: true } } }],
      }),
    );
    expect(err.path).toBe('template.requiredFields[0].required.when.field');
    expect(err.message).toContain('"needsPo" is not a handoff field');
  });

  it('refuses a condition whose value the field can never take', () => {
    const err = caught(() =>
      validateTemplate({
        ...DEFAULT_CS_TO_FINANCE,
        requiredFields: [{ field: 'poNumber', required: { when: { field: 'poRequired', equals: 'yes' } } }],
      }),
    );
    expect(err.path).toBe('template.requiredFields[0].required.when.equals');
    expect(err.message).toContain('"yes" is not a possible value of poRequired');
  });

  it('refuses a condition with two tests at once', () => {
    const err = caught(() =>
      validateTemplate({
        ...DEFAULT_CS_TO_FINANCE,
        requiredFields: [
          { field: 'poNumber', required: { when: { field: 'poRequired', equals: true, truthy: true } } },
        ],
      }),
    );
    expect(err.path).toBe('template.requiredFields[0].required.when');
    expect(err.message).toContain('must have exactly one of equals, in or truthy');
  });

  it('refuses an empty list of rejection reasons', () => {
    const err = caught(() => validateTemplate({ ...DEFAULT_SALES_TO_CS, rejectionReasons: [] }));
    expect(err.path).toBe('template.rejectionReasons');
    expect(err.message).toBe('template.rejectionReasons: must offer at least one rejection reason');
  });

  it('refuses an SLA of zero hours', () => {
    const err = caught(() => validateTemplate({ ...DEFAULT_SALES_TO_CS, sla: { hours: 0, calendar: 'business' } }));
    expect(err.path).toBe('template.sla.hours');
    expect(err.message).toBe('template.sla.hours: must be more than 0 hours');
  });

  it('refuses a negative SLA', () => {
    expect(
      caught(() => validateTemplate({ ...DEFAULT_SALES_TO_CS, sla: { hours: -4, calendar: 'calendar' } })).path,
    ).toBe('template.sla.hours');
  });

  it('refuses business hours that end before they start', () => {
    const err = caught(() =>
      validateTemplate({
        ...DEFAULT_SALES_TO_CS,
        sla: { hours: 8, calendar: 'business', businessHours: { start: '17:00', end: '09:00', days: [1] } },
      }),
    );
    expect(err.path).toBe('template.sla.businessHours.end');
    expect(err.message).toContain('must be later than the start time');
  });

  it('refuses an unknown rule id and lists the known ones', () => {
    const err = caught(() => validateTemplate({ ...DEFAULT_SALES_TO_CS, rules: [{ rule: 'no_po' }] }));
    expect(err.path).toBe('template.rules[0].rule');
    expect(err.message).toContain('"no_po" is not a rule we know (known: no_po_no_go,');
  });

  it('refuses a payment term the policy cannot understand', () => {
    const err = caught(() =>
      validateTemplate({
        ...DEFAULT_CS_TO_FINANCE,
        policy: { ...DEFAULT_CS_TO_FINANCE.policy, allowedPaymentTerms: ['net_thirty'] },
      }),
    );
    expect(err.path).toBe('template.policy.allowedPaymentTerms[0]');
  });

  it('refuses a team handing off to itself', () => {
    const err = caught(() => validateTemplate({ ...DEFAULT_SALES_TO_CS, toTeam: 'sales' }));
    expect(err.path).toBe('template.toTeam');
    expect(err.message).toContain('a team cannot hand off to itself');
  });

  it('refuses the same field required twice and a rejection code used twice', () => {
    const err = caught(() =>
      validateTemplate({
        ...DEFAULT_SALES_TO_CS,
        requiredFields: [
          { field: 'primaryUseCase', required: 'always' },
          { field: 'primaryUseCase', required: 'always' },
        ],
        rejectionReasons: [
          { code: 'dup', label: 'Duplicate' },
          { code: 'dup', label: 'Duplicate again' },
        ],
      }),
    );
    expect(err.issues.map((i) => i.path)).toEqual([
      'template.requiredFields[1].field',
      'template.rejectionReasons[1].code',
    ]);
    expect(err.message).toContain('(and 1 more problem)');
  });

  it('refuses a template that is not an object, with a message instead of a crash', () => {
    const err = caught(() => validateTemplate(undefined));
    expect(err).toMatchObject({ code: 'invalid_input', path: 'template', message: 'template: is required' });
  });

  it('fills the default severity (blocking) and Mon–Fri 9–17 business hours', () => {
    const t = validateTemplate({
      ...DEFAULT_SALES_TO_CS,
      requiredFields: [{ field: 'primaryUseCase', required: 'always' }],
      sla: { hours: 8, calendar: 'business' },
    });
    expect(t.requiredFields[0]?.severity).toBe('blocking');
    expect(t.sla.businessHours).toEqual({ start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] });
  });
});

describe('entry criteria and receiving owner', () => {
  it('starts Sales → CS when the deal reaches a won stage, not before', () => {
    expect(meetsEntryCriteria(DEFAULT_SALES_TO_CS, { stage: 'closedwon' })).toBe(true);
    expect(meetsEntryCriteria(DEFAULT_SALES_TO_CS, { stage: 'contractsent' })).toBe(false);
  });

  it('starts CS → Finance only once CS has accepted its handoff', () => {
    expect(meetsEntryCriteria(DEFAULT_CS_TO_FINANCE, { stage: 'closedwon' })).toBe(false);
    expect(
      meetsEntryCriteria(DEFAULT_CS_TO_FINANCE, { stage: 'closedwon', acceptedTemplateIds: ['default-sales-to-cs'] }),
    ).toBe(true);
  });

  it('resolves a deal-owner rule to the owner, and to the receiving team when the deal has none', () => {
    const t = { ...DEFAULT_SALES_TO_CS, receivingOwner: { kind: 'deal_owner' as const } };
    expect(resolveReceivingOwner(t, { ownerId: '42' })).toEqual({ kind: 'user', userId: '42' });
    expect(resolveReceivingOwner(t, {})).toEqual({ kind: 'team', teamId: 'customer_success' });
  });

  it('resolves a property rule to the user id in that deal property', () => {
    const t = { ...DEFAULT_SALES_TO_CS, receivingOwner: { kind: 'property' as const, property: 'cs_owner' } };
    expect(resolveReceivingOwner(t, { properties: { cs_owner: '77' } })).toEqual({ kind: 'user', userId: '77' });
    expect(resolveReceivingOwner(t, { properties: { cs_owner: '' } })).toEqual({
      kind: 'team',
      teamId: 'customer_success',
    });
  });
});
