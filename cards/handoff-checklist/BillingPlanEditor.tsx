import { Button, CurrencyInput, DateInput, Flex, Heading, Input, Select, Text, Tile } from '@hubspot/ui-extensions';
import type { FieldView } from '../../src/api/contracts.js';
import { PAYMENT_TERMS_CATALOG } from '../../src/billing/payment-terms.js';
import { BillingIntervalSchema, BillingTimingSchema } from '../../src/billing/plan.js';
import { fromDecimalString, toDecimalString } from '../../src/core/money.js';
import { STRINGS } from './strings.js';
import { TAX_STRINGS, type TaxCodeOption, TaxEditor } from './TaxEditor.js';
import { fromBaseDate, fromMajor, isMoney, isObj, type Obj, str, toBaseDate, toMajor } from './values.js';

const P = STRINGS.plan;

export interface BillingPlanEditorProps {
  field: FieldView;
  value: unknown;
  currency: string;
  problem?: string | undefined;
  onChange: (value: unknown, problem?: string) => void;
  /** The connected books' tax codes, when the backend knows them. */
  taxCodes?: ReadonlyArray<TaxCodeOption> | undefined;
}

const INTERVALS = BillingIntervalSchema.options.map((v) => ({ value: v, label: P.intervals[v] ?? v }));
const TIMINGS = BillingTimingSchema.options.map((v) => ({ value: v, label: P.timings[v] ?? v }));
const FEE_ONS = ['start', 'acceptance'].map((v) => ({ value: v, label: P.feeOns[v] ?? v }));
const TERMS = PAYMENT_TERMS_CATALOG.map((t) => ({ value: t.code, label: t.label }));

function components(plan: Obj): Obj[] {
  return Array.isArray(plan.components) ? plan.components.filter(isObj) : [];
}

const isRecurring = (c: Obj) => c.kind === 'recurring';
const isFee = (c: Obj) => c.kind === 'one_time' && c.category === 'implementation';
const isMilestones = (c: Obj) => c.kind === 'milestone';

/** Re-reads an amount in another currency at the same face value (12.50 USD → 12.50 EUR); unchanged if it cannot be. */
function restamp(m: unknown, currency: string): unknown {
  if (!isMoney(m) || m.currency === currency) return m;
  try {
    return fromDecimalString(toDecimalString(m), currency);
  } catch {
    return m;
  }
}

function restampComponent(c: Obj, currency: string): Obj {
  if (isRecurring(c)) return { ...c, price: restamp(c.price, currency) };
  if (isFee(c)) return { ...c, amount: restamp(c.amount, currency) };
  if (isMilestones(c) && Array.isArray(c.milestones)) {
    return {
      ...c,
      milestones: c.milestones.map((m) => (isObj(m) ? { ...m, amount: restamp(m.amount, currency) } : m)),
    };
  }
  return c;
}

/**
 * The billing plan for the common case: one recurring fee (interval, timing, price), an optional implementation
 * fee, and milestone billing, each with its own tax, and the plan's default tax; components of other kinds are kept
 * untouched. validateField judges the whole plan.
 */
export function BillingPlanEditor({
  field,
  value,
  currency: fallbackCurrency,
  problem,
  onChange,
  taxCodes,
}: BillingPlanEditorProps) {
  const plan: Obj = isObj(value) ? value : { currency: fallbackCurrency, components: [] };
  const currency = str(plan.currency) || fallbackCurrency;
  const list = components(plan);
  const recurringAt = list.findIndex(isRecurring);
  const feeAt = list.findIndex(isFee);
  const milestonesAt = list.findIndex(isMilestones);
  const others = list.filter((_, i) => i !== recurringAt && i !== feeAt && i !== milestonesAt).length;
  const name = (part: string) => `${field.key}.${part}`;

  const setPlan = (next: Obj) => onChange(next);
  const setKey = (key: string, v: unknown) => {
    const next = { ...plan };
    if (v === null || v === '' || v === undefined) delete next[key];
    else next[key] = v;
    setPlan(next);
  };
  const setComponent = (at: number, next: Obj | null) =>
    setPlan({
      ...plan,
      components: next === null ? list.filter((_, i) => i !== at) : list.map((c, i) => (i === at ? next : c)),
    });
  const addComponent = (c: Obj) => setPlan({ ...plan, currency, components: [...list, c] });
  const moneyChange = (n: number | null | undefined, apply: (m: unknown) => void) => {
    const m = fromMajor(n, currency);
    if (m && 'problem' in m) onChange(plan, m.problem);
    else apply(m ?? undefined);
  };

  const recurring = recurringAt >= 0 ? (list[recurringAt] as Obj) : null;
  const fee = feeAt >= 0 ? (list[feeAt] as Obj) : null;
  const milestoneComponent = milestonesAt >= 0 ? (list[milestonesAt] as Obj) : null;
  const milestones: Obj[] =
    milestoneComponent && Array.isArray(milestoneComponent.milestones)
      ? milestoneComponent.milestones.filter(isObj)
      : [];
  const setMilestones = (next: Obj[]) => {
    if (milestoneComponent) setComponent(milestonesAt, { ...milestoneComponent, milestones: next });
  };
  /** A component's tax row: its own treatment, removed when emptied (the plan's default applies again). */
  const taxOf = (at: number, component: Obj, part: string) => (
    <TaxEditor
      name={name(`${part}.tax`)}
      value={component.tax}
      codes={taxCodes}
      help={TAX_STRINGS.componentHelp}
      onChange={(tax) => {
        const { tax: _old, ...rest } = component;
        setComponent(at, tax ? { ...rest, tax } : rest);
      }}
    />
  );
  const nextMilestoneId = () => {
    const ids = new Set(milestones.map((m) => str(m.id)));
    let n = milestones.length + 1;
    while (ids.has(`m${n}`)) n++;
    return `m${n}`;
  };

  return (
    <Tile compact>
      <Flex direction="column" gap="sm">
        <Text format={{ fontWeight: 'demibold' }}>{field.label}</Text>
        <Text variant="microcopy">{field.help}</Text>
        <Flex direction="row" gap="sm" wrap>
          <Input
            name={name('currency')}
            label={P.currency}
            value={currency}
            onChange={(v) => {
              const code = v.trim().toUpperCase();
              setPlan({ ...plan, currency: code, components: list.map((c) => restampComponent(c, code)) });
            }}
            {...(problem ? { error: true, validationMessage: problem } : {})}
          />
          <DateInput
            name={name('startDate')}
            label={P.startDate}
            format="YYYY-MM-DD"
            value={toBaseDate(plan.startDate)}
            onChange={(d) => setKey('startDate', fromBaseDate(d))}
          />
          <DateInput
            name={name('endDate')}
            label={P.endDate}
            format="YYYY-MM-DD"
            value={toBaseDate(plan.endDate)}
            onChange={(d) => setKey('endDate', fromBaseDate(d))}
          />
          <Select
            name={name('paymentTerms')}
            label={P.paymentTerms}
            value={str(plan.paymentTerms) || undefined}
            options={TERMS}
            onChange={(v) => setKey('paymentTerms', String(v))}
          />
        </Flex>
        <Text format={{ fontWeight: 'demibold' }}>{TAX_STRINGS.planHeading}</Text>
        <TaxEditor
          name={name('tax')}
          value={plan.tax}
          codes={taxCodes}
          help={TAX_STRINGS.planHelp}
          onChange={(tax) => setKey('tax', tax)}
        />

        <Heading>{P.recurringHeading}</Heading>
        {recurring ? (
          <Flex direction="column" gap="xs">
            <Flex direction="row" gap="sm" wrap align="end">
              <Input
                name={name('recurring.description')}
                label={P.description}
                value={str(recurring.description)}
                onChange={(v) => setComponent(recurringAt, { ...recurring, description: v })}
              />
              <Select
                name={name('recurring.interval')}
                label={P.interval}
                value={str(recurring.interval) || undefined}
                options={INTERVALS}
                onChange={(v) => setComponent(recurringAt, { ...recurring, interval: String(v) })}
              />
              <Select
                name={name('recurring.timing')}
                label={P.timing}
                value={str(recurring.timing) || undefined}
                options={TIMINGS}
                onChange={(v) => setComponent(recurringAt, { ...recurring, timing: String(v) })}
              />
              <CurrencyInput
                name={name('recurring.price')}
                label={P.price}
                currency={currency}
                value={toMajor(recurring.price)}
                onChange={(n) => moneyChange(n, (m) => setComponent(recurringAt, { ...recurring, price: m }))}
              />
              <Button size="xs" variant="transparent" onClick={() => setComponent(recurringAt, null)}>
                {P.remove}
              </Button>
            </Flex>
            {taxOf(recurringAt, recurring, 'recurring')}
          </Flex>
        ) : (
          <Button
            size="xs"
            variant="secondary"
            onClick={() =>
              addComponent({
                kind: 'recurring',
                description: P.defaultRecurringText,
                interval: 'monthly',
                timing: 'advance',
                price: { amount: 0, currency },
              })
            }
          >
            {P.addRecurring}
          </Button>
        )}

        <Heading>{P.feeHeading}</Heading>
        {fee ? (
          <Flex direction="column" gap="xs">
            <Flex direction="row" gap="sm" wrap align="end">
              <CurrencyInput
                name={name('fee.amount')}
                label={P.feeAmount}
                currency={currency}
                value={toMajor(fee.amount)}
                onChange={(n) => moneyChange(n, (m) => setComponent(feeAt, { ...fee, amount: m }))}
              />
              <Select
                name={name('fee.on')}
                label={P.feeOn}
                value={str(fee.on) || 'start'}
                options={FEE_ONS}
                onChange={(v) => setComponent(feeAt, { ...fee, on: String(v) })}
              />
              <Button size="xs" variant="transparent" onClick={() => setComponent(feeAt, null)}>
                {P.remove}
              </Button>
            </Flex>
            {taxOf(feeAt, fee, 'fee')}
          </Flex>
        ) : (
          <Button
            size="xs"
            variant="secondary"
            onClick={() =>
              addComponent({
                kind: 'one_time',
                category: 'implementation',
                description: P.defaultFeeText,
                amount: { amount: 0, currency },
                on: 'start',
              })
            }
          >
            {P.addFee}
          </Button>
        )}

        <Heading>{P.milestonesHeading}</Heading>
        {milestoneComponent ? (
          <Flex direction="column" gap="xs">
            {milestones.map((m, i) => (
              <Flex key={str(m.id) || i} direction="row" gap="sm" wrap align="end">
                <Input
                  name={name(`milestones[${i}].name`)}
                  label={P.milestoneName}
                  value={str(m.name)}
                  onChange={(v) => setMilestones(milestones.map((x, j) => (j === i ? { ...x, name: v } : x)))}
                />
                <CurrencyInput
                  name={name(`milestones[${i}].amount`)}
                  label={P.milestoneAmount}
                  currency={currency}
                  value={toMajor(m.amount)}
                  onChange={(n) =>
                    moneyChange(n, (amount) =>
                      setMilestones(milestones.map((x, j) => (j === i ? { ...x, amount } : x))),
                    )
                  }
                />
                <DateInput
                  name={name(`milestones[${i}].expectedOn`)}
                  label={P.milestoneExpected}
                  format="YYYY-MM-DD"
                  value={toBaseDate(m.expectedOn)}
                  onChange={(d) => {
                    const on = fromBaseDate(d);
                    setMilestones(
                      milestones.map((x, j) => {
                        if (j !== i) return x;
                        const { expectedOn: _drop, ...rest } = x;
                        return on ? { ...rest, expectedOn: on } : rest;
                      }),
                    );
                  }}
                />
                <Button
                  size="xs"
                  variant="transparent"
                  onClick={() =>
                    milestones.length === 1
                      ? setComponent(milestonesAt, null)
                      : setMilestones(milestones.filter((_, j) => j !== i))
                  }
                >
                  {P.remove}
                </Button>
              </Flex>
            ))}
            <Button
              size="xs"
              variant="secondary"
              onClick={() =>
                setMilestones([...milestones, { id: nextMilestoneId(), name: '', amount: { amount: 0, currency } }])
              }
            >
              {P.addMilestone}
            </Button>
            {taxOf(milestonesAt, milestoneComponent, 'milestones')}
          </Flex>
        ) : (
          <Button
            size="xs"
            variant="secondary"
            onClick={() =>
              addComponent({
                kind: 'milestone',
                description: P.defaultMilestonesText,
                milestones: [{ id: 'm1', name: '', amount: { amount: 0, currency } }],
              })
            }
          >
            {P.addMilestones}
          </Button>
        )}
        {others > 0 ? <Text variant="microcopy">{P.otherComponents(others)}</Text> : null}
      </Flex>
    </Tile>
  );
}
