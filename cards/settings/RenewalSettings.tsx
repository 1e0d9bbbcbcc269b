import { Divider, Flex, Input, NumberInput, Text, Toggle } from '@hubspot/ui-extensions';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The renewal section's texts (kept beside it; the rest of the page's are in strings.ts). */
export const RENEWAL_STRINGS = {
  heading: 'Renewal handoff to sales',
  help: 'Before a contract renews, the account owner gets a renewal handoff on the deal and a task: usage against commitment, payment health, open risks and promises, expansion hypothesis and renewal terms.',
  leadDays: 'Create it this many days before the renewal date',
  reminderDays: 'Reminder tasks, days before the renewal date (comma separated)',
  reminderHelp: 'Each reminder is sent once, e.g. 60, 30. Each must be fewer days than the lead.',
  createDeal: 'Also create a renewal deal',
  yes: 'Yes',
  no: 'No',
  pipelineId: 'Renewal deal pipeline id',
  stageId: 'Renewal deal stage id',
} as const;

/**
 * The renewal settings, edited in the portal settings form: `value` is the draft's `renewals` object and
 * `onChange` receives the whole new object. The server validates (lead 1–365 days, reminders below the lead,
 * pipeline and stage when renewal deals are on) and names the field it refuses.
 */
export function RenewalSettings({
  value,
  onChange,
  errorAt,
}: {
  value: unknown;
  onChange: (next: Obj) => void;
  errorAt: (path: string) => { error?: boolean; validationMessage?: string };
}) {
  const S = RENEWAL_STRINGS;
  const r: Obj = isObj(value) ? value : {};
  const set = (patch: Obj) => onChange({ ...r, ...patch });
  const reminders = Array.isArray(r.reminderDays) ? r.reminderDays.join(', ') : '';
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  // The server names one reminder by its index (renewals.reminderDays[1]); the input holds them all.
  const reminderError =
    ['renewals.reminderDays', ...[0, 1, 2, 3, 4].map((i) => `renewals.reminderDays[${i}]`)]
      .map(errorAt)
      .find((e) => e.error) ?? {};
  return (
    <Flex direction="column" gap="sm" testId="renewal-settings">
      <Divider />
      <Text format={{ fontWeight: 'demibold' }}>{S.heading}</Text>
      <Text variant="microcopy">{S.help}</Text>
      <Flex direction="row" gap="sm" wrap>
        <NumberInput
          name="renewals.leadDays"
          label={S.leadDays}
          min={1}
          max={365}
          value={typeof r.leadDays === 'number' ? r.leadDays : undefined}
          onChange={(n) => set({ leadDays: n })}
          {...errorAt('renewals.leadDays')}
        />
        <Input
          name="renewals.reminderDays"
          label={S.reminderDays}
          description={S.reminderHelp}
          value={reminders}
          onChange={(v) =>
            set({
              reminderDays: v
                .split(',')
                .map((x) => x.trim())
                .filter((x) => x !== '')
                .map((x) => (/^\d+$/.test(x) ? Number(x) : x)),
            })
          }
          {...reminderError}
        />
      </Flex>
      <Toggle
        name="renewals.createDeal"
        label={S.createDeal}
        labelDisplay="top"
        checked={r.createDeal === true}
        textChecked={S.yes}
        textUnchecked={S.no}
        onChange={(checked) => set({ createDeal: checked })}
      />
      {r.createDeal === true ? (
        <Flex direction="row" gap="sm" wrap>
          <Input
            name="renewals.pipelineId"
            label={S.pipelineId}
            value={text(r.pipelineId)}
            onChange={(v) => set({ pipelineId: v.trim() || undefined })}
            {...errorAt('renewals.pipelineId')}
          />
          <Input
            name="renewals.stageId"
            label={S.stageId}
            value={text(r.stageId)}
            onChange={(v) => set({ stageId: v.trim() || undefined })}
            {...errorAt('renewals.stageId')}
          />
        </Flex>
      ) : null}
    </Flex>
  );
}
