import { Flex, Input, NumberInput, Select, Toggle } from '@hubspot/ui-extensions';
import type { BillingView } from '../../src/api/contracts.js';
import { booksCodeFields, TaxTreatmentSchema } from '../../src/billing/tax.js';
import { isObj, type Obj, str } from './values.js';

/** The books' tax codes as the handoff view lists them. */
export type TaxCodeOption = NonNullable<BillingView['taxCodes']>[number];

export const TAX_STRINGS = {
  code: 'Tax code',
  codePlaceholder: 'e.g. TAX, OUTPUT2 or txr_…',
  noCode: 'No tax code',
  rate: 'Tax rate %',
  inclusive: 'Price includes tax',
  yes: 'Yes',
  no: 'No',
  componentHelp: 'Empty: the HubSpot line item’s tax, else the plan’s default.',
  planHeading: 'Default tax',
  planHelp: 'For lines without their own tax. Empty: the template’s default.',
  unknownCode: (code: string) => `${code} (not in the connected books)`,
} as const;

const T = TAX_STRINGS;

export interface TaxEditorProps {
  /** Input names are `${name}.code`, `${name}.ratePercent`, `${name}.inclusive`. */
  name: string;
  /** The tax treatment being edited (absent: none of its own). */
  value: unknown;
  /** The connected books' codes, when the backend knows them: the code is then picked from them. */
  codes?: ReadonlyArray<TaxCodeOption> | undefined;
  help: string;
  /** The new treatment, or undefined when every field is empty (the line falls back to the next default). */
  onChange: (next: Obj | undefined) => void;
}

function codeLabel(c: TaxCodeOption): string {
  return c.ratePercent === null ? `${c.name} (${c.code})` : `${c.name} – ${c.ratePercent}% (${c.code})`;
}

/** The first problem TaxTreatmentSchema (the server's own) finds with each field of a treatment. */
function problemsOf(value: unknown): Record<string, string> {
  if (!isObj(value)) return {};
  const result = TaxTreatmentSchema.safeParse(value);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? 'code');
    out[key] ??= issue.message;
  }
  return out;
}

const validation = (problem: string | undefined) => (problem ? { error: true, validationMessage: problem } : {});

/**
 * One tax treatment: code (a Select of the books' codes when known, else free text), rate in percent and whether
 * prices include the tax. Validated field by field with the server's TaxTreatmentSchema as the person types.
 */
export function TaxEditor({ name, value, codes, help, onChange }: TaxEditorProps) {
  const tax: Obj = isObj(value) ? value : {};
  const problems = problemsOf(value);
  const code = str(tax.code);
  const rate = typeof tax.ratePercent === 'number' ? tax.ratePercent : undefined;

  const update = (patch: Obj) => {
    const next: Obj = { ...tax, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === undefined || v === '') delete next[k];
    const empty = next.code === undefined && next.ratePercent === undefined && next.inclusive !== true;
    onChange(empty ? undefined : next);
  };

  const known = codes && codes.length > 0 ? codes : null;
  const options = known
    ? [
        { value: '', label: T.noCode },
        ...known.map((c) => ({ value: c.code, label: codeLabel(c) })),
        ...(code && !known.some((c) => c.code === code) ? [{ value: code, label: T.unknownCode(code) }] : []),
      ]
    : [];

  return (
    <Flex direction="row" gap="sm" wrap align="end">
      {known ? (
        <Select
          name={`${name}.code`}
          label={T.code}
          description={help}
          value={code}
          options={options}
          onChange={(v) => {
            const picked = known.find((c) => c.code === String(v));
            // A code of the books brings the books' own rate and inclusiveness, where they state them.
            update(picked ? booksCodeFields(picked) : { code: String(v ?? '') });
          }}
          {...validation(problems.code)}
        />
      ) : (
        <Input
          name={`${name}.code`}
          label={T.code}
          description={help}
          placeholder={T.codePlaceholder}
          value={code}
          onChange={(v) => update({ code: v.trim() === '' ? undefined : v })}
          {...validation(problems.code)}
        />
      )}
      <NumberInput
        name={`${name}.ratePercent`}
        label={T.rate}
        value={rate}
        onChange={(n) => update({ ratePercent: typeof n === 'number' && !Number.isNaN(n) ? n : undefined })}
        {...validation(problems.ratePercent)}
      />
      <Toggle
        name={`${name}.inclusive`}
        label={T.inclusive}
        labelDisplay="top"
        checked={tax.inclusive === true}
        textChecked={T.yes}
        textUnchecked={T.no}
        onChange={(checked) => update({ inclusive: checked })}
      />
    </Flex>
  );
}
