import {
  Button,
  CurrencyInput,
  DateInput,
  Flex,
  Input,
  NumberInput,
  Select,
  TextArea,
  Tile,
  Toggle,
} from '@hubspot/ui-extensions';
import type { FieldView } from '../../src/api/contracts.js';
import { StakeholderRoleSchema } from '../../src/handoff/fields.js';
import { BillingPlanEditor } from './BillingPlanEditor.js';
import { STRINGS } from './strings.js';
import type { TaxCodeOption } from './TaxEditor.js';
import {
  bpToPercent,
  fromBaseDate,
  fromMajor,
  isObj,
  type Obj,
  optionsOf,
  percentToBp,
  str,
  toBaseDate,
  toMajor,
} from './values.js';

const E = STRINGS.editors;

export interface FieldEditorProps {
  field: FieldView;
  /** The value being edited (the draft, or the saved value before the first change). */
  value: unknown;
  /** Currency for money inputs: the field's own, else the handoff's, else the deal's. */
  currency: string;
  /** Why the value is not acceptable, from validateField (the server's own schema). */
  problem?: string | undefined;
  /** The new value; `problem` when the input cannot become a value at all (e.g. too many decimals). */
  onChange: (value: unknown, problem?: string) => void;
  /** The connected books' tax codes (for the billing plan's tax fields), when the backend knows them. */
  taxCodes?: ReadonlyArray<TaxCodeOption> | undefined;
}

function validation(problem: string | undefined) {
  return problem ? { error: true, validationMessage: problem } : {};
}

/** The input that fits a field's type, named by the field key. */
export function FieldEditor({ field, value, currency, problem, onChange, taxCodes }: FieldEditorProps) {
  const common = { name: field.key, label: field.label, description: field.help, ...validation(problem) };
  switch (field.type) {
    case 'longtext':
      return <TextArea {...common} value={str(value)} rows={3} onChange={(v) => onChange(v)} />;
    case 'email':
      return <Input {...common} value={str(value)} placeholder={E.emailPlaceholder} onChange={(v) => onChange(v)} />;
    case 'date':
      return (
        <DateInput
          {...common}
          value={toBaseDate(value)}
          format="YYYY-MM-DD"
          onChange={(d) => onChange(fromBaseDate(d))}
        />
      );
    case 'money': {
      const cur = isObj(value) && typeof value.currency === 'string' ? value.currency : currency;
      return (
        <CurrencyInput
          {...common}
          currency={cur}
          value={toMajor(value)}
          onChange={(n) => {
            const m = fromMajor(n, cur);
            if (m && 'problem' in m) onChange(value, m.problem);
            else onChange(m);
          }}
        />
      );
    }
    case 'number':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : undefined}
          onChange={(n) => onChange(Number.isNaN(n) ? null : n)}
        />
      );
    case 'basisPoints':
      return (
        <NumberInput
          {...common}
          label={E.percentOf(field.label)}
          precision={2}
          min={0}
          max={100}
          value={bpToPercent(value)}
          onChange={(n) => onChange(percentToBp(n))}
        />
      );
    case 'enum':
      return (
        <Select
          {...common}
          placeholder={E.selectPlaceholder}
          value={str(value) || undefined}
          options={optionsOf(field, value)}
          onChange={(v) => onChange(String(v))}
        />
      );
    case 'boolean':
      return (
        <Toggle
          name={field.key}
          label={field.label}
          labelDisplay="top"
          checked={value === true}
          textChecked={STRINGS.yes}
          textUnchecked={STRINGS.no}
          onChange={(checked) => onChange(checked)}
        />
      );
    case 'contact':
      return <ContactEditor field={field} value={value} problem={problem} onChange={onChange} />;
    case 'address':
      return <AddressEditor field={field} value={value} problem={problem} onChange={onChange} />;
    case 'approval':
      return <ApprovalEditor field={field} value={value} problem={problem} onChange={onChange} />;
    case 'stakeholders':
      return <StakeholdersEditor field={field} value={value} problem={problem} onChange={onChange} />;
    case 'billingPlan':
      return (
        <BillingPlanEditor
          field={field}
          value={value}
          currency={currency}
          problem={problem}
          onChange={onChange}
          taxCodes={taxCodes}
        />
      );
    default:
      // text, url, currency and any type added later: a plain input; validateField still judges the value.
      return <Input {...common} value={str(value)} onChange={(v) => onChange(v)} />;
  }
}

interface ObjectEditorProps {
  field: FieldView;
  value: unknown;
  problem?: string | undefined;
  onChange: (value: unknown) => void;
}

/** Sets one key of an object value; an emptied key is dropped so optional parts stay absent. */
function withKey(value: unknown, key: string, next: unknown): Obj {
  const base: Obj = isObj(value) ? { ...value } : {};
  if (next === '' || next === null || next === undefined) delete base[key];
  else base[key] = next;
  return base;
}

function ContactEditor({ field, value, problem, onChange }: ObjectEditorProps) {
  const v = isObj(value) ? value : {};
  const set = (key: string) => (next: string) => onChange(withKey(value, key, next));
  return (
    <Tile compact>
      <Flex direction="column" gap="xs">
        <Input
          name={`${field.key}.name`}
          label={`${field.label}: ${E.name}`}
          description={field.help}
          value={str(v.name)}
          onChange={set('name')}
          {...validation(problem)}
        />
        <Input
          name={`${field.key}.email`}
          label={E.email}
          placeholder={E.emailPlaceholder}
          value={str(v.email)}
          onChange={set('email')}
        />
        <Input name={`${field.key}.phone`} label={E.phone} value={str(v.phone)} onChange={set('phone')} />
      </Flex>
    </Tile>
  );
}

function AddressEditor({ field, value, problem, onChange }: ObjectEditorProps) {
  const v = isObj(value) ? value : {};
  const set = (key: string) => (next: string) => onChange(withKey(value, key, next));
  const parts: Array<[string, string]> = [
    ['line1', E.line1],
    ['line2', E.line2],
    ['city', E.city],
    ['region', E.region],
    ['postalCode', E.postalCode],
    ['country', E.country],
  ];
  return (
    <Tile compact>
      <Flex direction="column" gap="xs">
        {parts.map(([key, label], i) => (
          <Input
            key={key}
            name={`${field.key}.${key}`}
            label={i === 0 ? `${field.label}: ${label}` : label}
            {...(i === 0 ? { description: field.help, ...validation(problem) } : {})}
            value={str(v[key])}
            onChange={set(key)}
          />
        ))}
      </Flex>
    </Tile>
  );
}

function ApprovalEditor({ field, value, problem, onChange }: ObjectEditorProps) {
  const v = isObj(value) ? value : {};
  return (
    <Tile compact>
      <Flex direction="column" gap="xs">
        <Input
          name={`${field.key}.approvedBy`}
          label={`${field.label}: ${E.approvedBy}`}
          description={field.help}
          value={str(v.approvedBy)}
          onChange={(next) => onChange(withKey(value, 'approvedBy', next))}
          {...validation(problem)}
        />
        <DateInput
          name={`${field.key}.approvedOn`}
          label={E.approvedOn}
          format="YYYY-MM-DD"
          value={toBaseDate(v.approvedOn)}
          onChange={(d) => onChange(withKey(value, 'approvedOn', fromBaseDate(d)))}
        />
        <TextArea
          name={`${field.key}.note`}
          label={E.note}
          value={str(v.note)}
          onChange={(next) => onChange(withKey(value, 'note', next))}
        />
      </Flex>
    </Tile>
  );
}

const ROLE_OPTIONS = StakeholderRoleSchema.options.map((r) => ({ value: r, label: E.roles[r] ?? r }));

function StakeholdersEditor({ field, value, problem, onChange }: ObjectEditorProps) {
  const people: Obj[] = Array.isArray(value) ? value.filter(isObj) : [];
  const setPerson = (i: number, key: string, next: unknown) =>
    onChange(people.map((p, j) => (j === i ? withKey(p, key, next) : p)));
  return (
    <Tile compact>
      <Flex direction="column" gap="sm">
        {people.map((p, i) => (
          // Rows have no id of their own; position is their identity while editing.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <Flex key={i} direction="row" gap="xs" align="end" wrap>
            <Input
              name={`${field.key}[${i}].name`}
              label={i === 0 ? `${field.label}: ${E.name}` : E.name}
              value={str(p.name)}
              onChange={(v) => setPerson(i, 'name', v)}
              {...(i === 0 ? validation(problem) : {})}
            />
            <Input
              name={`${field.key}[${i}].email`}
              label={E.email}
              value={str(p.email)}
              onChange={(v) => setPerson(i, 'email', v)}
            />
            <Select
              name={`${field.key}[${i}].role`}
              label={E.role}
              value={str(p.role) || undefined}
              options={ROLE_OPTIONS}
              onChange={(v) => setPerson(i, 'role', String(v))}
            />
            <Button size="xs" variant="transparent" onClick={() => onChange(people.filter((_, j) => j !== i))}>
              {E.remove}
            </Button>
          </Flex>
        ))}
        {people.length === 0 && problem ? (
          <Input name={`${field.key}.empty`} label={field.label} readOnly value="" {...validation(problem)} />
        ) : null}
        <Button size="xs" variant="secondary" onClick={() => onChange([...people, { name: '', role: 'day_to_day' }])}>
          {E.addPerson}
        </Button>
      </Flex>
    </Tile>
  );
}
