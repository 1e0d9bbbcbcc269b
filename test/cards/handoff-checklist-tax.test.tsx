import { Button, Input, NumberInput, Select, Table, TableRow, Toggle } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { HandoffChecklist } from '../../cards/handoff-checklist/HandoffChecklist.js';
import type { HandoffView } from '../../src/api/contracts.js';
import { billingView } from '../../src/app/handoff-view.js';
import { TaxTreatmentSchema } from '../../src/billing/tax.js';
import { validateField } from '../../src/handoff/fields.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { can, DEAL_ID, field, handoff, salesToCsAccepted, PLAN as USD_PLAN, view, views } from './handoff-fixtures.js';
import { fire, textOf } from './render-helpers.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

const gbp = (amount: number) => ({ amount, currency: 'GBP' });

/** A UK deal: a monthly platform fee with 50% off at standard VAT (template default), training books at 5%. */
const PLAN = {
  currency: 'GBP',
  startDate: '2026-01-01',
  endDate: '2026-03-31',
  paymentTerms: 'net_30',
  discount: { kind: 'percent', basisPoints: 5000 },
  components: [
    { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: gbp(1_03) },
    {
      kind: 'one_time',
      description: 'Training books',
      amount: gbp(50_00),
      tax: { code: '4', ratePercent: 5, label: 'VAT 5%' },
    },
  ],
};
const VAT20 = { code: '2', ratePercent: 20, inclusive: false, label: 'VAT 20%' };

describe('HandoffChecklist billing preview with tax', () => {
  it('shows net, tax and gross per invoice and for the contract, in the deal’s currency, rounded as QuickBooks does', async () => {
    const billing = billingView({
      plan: PLAN,
      setup: null,
      invoices: [],
      customerUrl: null,
      system: 'quickbooks',
      defaultTax: VAT20,
    });
    expect(billing.preview?.tax?.rounding).toBe('per_invoice');
    backend.answer('getHandoffView', { body: view({ billing }) });
    const r = createRenderer('crm.record.tab');
    r.render(<HandoffChecklist dealId={DEAL_ID} />);
    await r.waitFor(() => expect(r.maybeFind(Table)).not.toBeNull());
    const rows = r.findByTestId(Table, 'billing-preview').findAll(TableRow);
    expect(textOf(rows[0])).toMatch(/Net[\s\S]*Tax[\s\S]*Gross/);
    const text = rows.map((row) => textOf(row));
    // Each month: £1.03 − £0.52 discount = £0.51 net; 20% of £0.51 once = £0.10 (per line it would be £0.21 − £0.10).
    const platform = text.filter((t) => t.includes('Platform'));
    expect(platform).toHaveLength(3);
    for (const t of platform) {
      expect(t).toContain('£0.51');
      expect(t).toContain('£0.10');
      expect(t).toContain('£0.61');
      expect(t).toContain('VAT 20% (2)');
    }
    const books = text.find((t) => t.includes('Training books')) ?? '';
    expect(books).toContain('£50.00');
    expect(books).toContain('£2.50');
    expect(books).toContain('£52.50');
    expect(books).toContain('VAT 5% (4)');
    const footer = text.at(-1) ?? '';
    expect(footer).toContain('£51.53'); // net: 3 × £0.51 + £50
    expect(footer).toContain('£2.80'); // tax: 3 × £0.10 + £2.50
    expect(footer).toContain('£54.33');
    expect(textOf(r.getRootNode())).toContain('rounded once per rate on each invoice');
  });

  it('rounds on each line for Xero and Stripe (£0.21 − £0.10, not 20% of £0.51)', () => {
    const billing = billingView({
      plan: PLAN,
      setup: null,
      invoices: [],
      customerUrl: null,
      system: 'xero',
      defaultTax: VAT20,
    });
    expect(billing.preview?.tax?.invoices[0]?.tax).toEqual(gbp(11));
    expect(billing.preview?.tax?.invoices[0]?.gross).toEqual(gbp(62));
  });

  it('shows the plain preview when no line carries tax', () => {
    const untaxed = { ...PLAN, components: PLAN.components.slice(0, 1) };
    const billing = billingView({ plan: untaxed, setup: null, invoices: [], customerUrl: null, system: 'quickbooks' });
    expect(billing.preview?.tax).toBeNull();
  });
});

describe('HandoffChecklist billing plan editor: tax fields', () => {
  /** The finance handoff with a saved plan (no tax yet) the person opens for editing. */
  const planView = (taxCodes?: NonNullable<HandoffView['billing']['taxCodes']>) => {
    const v = view({
      handoffs: [
        salesToCsAccepted,
        handoff({
          fields: [field('currency', { value: 'USD' }), field('billingPlan', { value: USD_PLAN })],
          can: can({ edit: true, submit: true, ask: true, answer: true }),
        }),
      ],
    });
    return view({ ...v, billing: { ...v.billing, ...(taxCodes ? { taxCodes } : {}) } });
  };

  /** The billing plan the card sent with its (first) save. */
  const savedPlan = () => {
    const values = (backend.callsTo('saveHandoffFields')[0]?.body.values ?? {}) as { billingPlan?: typeof USD_PLAN };
    if (!values.billingPlan) throw new Error('no billing plan was saved');
    return values.billingPlan;
  };

  async function openPlanEditor(v: HandoffView) {
    backend.answer('getHandoffView', { body: v });
    const r = createRenderer('crm.record.tab');
    r.render(<HandoffChecklist dealId={DEAL_ID} />);
    await r.waitFor(() => expect(r.maybeFind(Button, { testId: 'h-fin/edit-billingPlan' })).not.toBeNull());
    fire(r.findByTestId(Button, 'h-fin/edit-billingPlan'), 'onClick');
    await r.waitFor(() =>
      expect(r.maybeFind(NumberInput, { name: 'billingPlan.recurring.tax.ratePercent' })).not.toBeNull(),
    );
    return r;
  }

  it('saves the tax code, rate and inclusiveness a person sets on a component and as the plan default', async () => {
    const r = await openPlanEditor(planView());
    // No codes known from the books: the code is typed.
    fire(r.find(Input, { name: 'billingPlan.recurring.tax.code' }), 'onChange', 'txr_1Standard');
    fire(r.find(NumberInput, { name: 'billingPlan.recurring.tax.ratePercent' }), 'onChange', 8.875);
    fire(r.find(Toggle, { name: 'billingPlan.recurring.tax.inclusive' }), 'onChange', true);
    fire(r.find(Input, { name: 'billingPlan.tax.code' }), 'onChange', 'txr_1Zero');
    fire(r.find(NumberInput, { name: 'billingPlan.tax.ratePercent' }), 'onChange', 0);

    await r.waitFor(() => expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(false));
    backend.answer('saveHandoffFields', { body: views.complete() });
    fire(r.findByTestId(Button, 'h-fin/save'), 'onClick');
    await r.waitFor(() => expect(backend.callsTo('saveHandoffFields')).toHaveLength(1));
    const plan = savedPlan();
    expect(plan.components[0]).toEqual({
      ...USD_PLAN.components[0],
      tax: { code: 'txr_1Standard', ratePercent: 8.875, inclusive: true },
    });
    // The fee keeps no tax of its own: it takes the plan's default.
    expect(plan.components[1]).toEqual(USD_PLAN.components[1]);
    expect(plan).toMatchObject({ tax: { code: 'txr_1Zero', ratePercent: 0 } });
    expect(validateField('billingPlan', plan).ok).toBe(true);
  });

  it('offers the connected books’ codes and takes the rate the books state for the one picked', async () => {
    const r = await openPlanEditor(
      planView([
        { code: '2', name: '20.0% S', ratePercent: 20 },
        { code: '4', name: '5.0% R', ratePercent: 5 },
      ]),
    );
    const select = r.find(Select, { name: 'billingPlan.fee.tax.code' });
    expect(select.props.options.map((o) => o.label)).toEqual(['No tax code', '20.0% S – 20% (2)', '5.0% R – 5% (4)']);
    expect(r.maybeFind(Input, { name: 'billingPlan.fee.tax.code' })).toBeNull();
    fire(select, 'onChange', '4');
    await r.waitFor(() => expect(r.find(NumberInput, { name: 'billingPlan.fee.tax.ratePercent' }).props.value).toBe(5));

    await r.waitFor(() => expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(false));
    backend.answer('saveHandoffFields', { body: views.complete() });
    fire(r.findByTestId(Button, 'h-fin/save'), 'onClick');
    await r.waitFor(() => expect(backend.callsTo('saveHandoffFields')).toHaveLength(1));
    const plan = savedPlan();
    expect(plan.components[1]).toEqual({ ...USD_PLAN.components[1], tax: { code: '4', ratePercent: 5 } });
  });

  it('shows the server schema’s error under a bad rate and saves nothing', async () => {
    const r = await openPlanEditor(planView());
    fire(r.find(Input, { name: 'billingPlan.recurring.tax.code' }), 'onChange', 'OUTPUT2');
    fire(r.find(NumberInput, { name: 'billingPlan.recurring.tax.ratePercent' }), 'onChange', 150);

    const expected = TaxTreatmentSchema.safeParse({ code: 'OUTPUT2', ratePercent: 150 }).error?.issues[0]?.message;
    expect(expected).toBe('cannot exceed 100%');
    await r.waitFor(() =>
      expect(r.find(NumberInput, { name: 'billingPlan.recurring.tax.ratePercent' }).props).toMatchObject({
        error: true,
        validationMessage: expected,
      }),
    );
    expect(r.find(Input, { name: 'billingPlan.recurring.tax.code' }).props.error).toBeUndefined();
    expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(true);
    fire(r.findByTestId(Button, 'h-fin/save'), 'onClick');
    expect(backend.callsTo('saveHandoffFields')).toHaveLength(0);
  });

  it('a rate without a code is refused under the code field; clearing both removes the tax again', async () => {
    const r = await openPlanEditor(planView());
    fire(r.find(NumberInput, { name: 'billingPlan.fee.tax.ratePercent' }), 'onChange', 20);
    await r.waitFor(() =>
      expect(r.find(Input, { name: 'billingPlan.fee.tax.code' }).props.validationMessage).toBe(
        TaxTreatmentSchema.safeParse({ ratePercent: 20 }).error?.issues[0]?.message,
      ),
    );
    expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(true);

    fire(r.find(NumberInput, { name: 'billingPlan.fee.tax.ratePercent' }), 'onChange', Number.NaN);
    await r.waitFor(() => expect(r.find(Input, { name: 'billingPlan.fee.tax.code' }).props.error).toBeUndefined());
    expect(r.findByTestId(Button, 'h-fin/save').props.disabled).toBe(false);
    backend.answer('saveHandoffFields', { body: views.complete() });
    fire(r.findByTestId(Button, 'h-fin/save'), 'onClick');
    await r.waitFor(() => expect(backend.callsTo('saveHandoffFields')).toHaveLength(1));
    expect(savedPlan()).toEqual(USD_PLAN);
  });
});
