import {
  Alert,
  Button,
  CurrencyInput,
  Divider,
  EmptyState,
  Flex,
  Heading,
  Input,
  Link,
  MultiSelect,
  NumberInput,
  Select,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import { type ReactNode, useState } from 'react';
import type { SettingsView } from '../../src/api/contracts.js';
import { ScheduledInvoicesAsSchema } from '../../src/billing/feasibility.js';
import { fromDecimalString, toDecimalString } from '../../src/core/money.js';
import { APP_ROLES, MANUAL_CORRECTION_POLICIES } from '../../src/settings/portal-settings.js';
import type { BackendError } from '../shared/api-client.js';
import { instant } from '../shared/format.js';
import { ErrorView, LoadingView } from '../shared/StateViews.js';
import { useBackend } from '../shared/use-backend.js';
import { RenewalSettings } from './RenewalSettings.js';
import { StripeKeyForm } from './StripeKeyForm.js';
import { STRINGS } from './strings.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const ROLE_OPTIONS = APP_ROLES.map((r) => ({ value: r, label: STRINGS.roles[r] ?? r }));
const CORRECTION_POLICY_OPTIONS = MANUAL_CORRECTION_POLICIES.map((p) => ({
  value: p,
  label: STRINGS.portal.correctionPolicies[p],
}));

/** The message for an input whose path the server named, e.g. `sla.hours` for `template.sla.hours`. */
function errorAt(error: BackendError | null, path: string): { error?: boolean; validationMessage?: string } {
  const at = error?.path;
  if (!error || !at) return {};
  return at === path || at.endsWith(`.${path}`) || at.startsWith(`${path}.`) || at.includes(`.${path}.`)
    ? { error: true, validationMessage: error.message }
    : {};
}

/** The app's settings page: finance connection, failed setups, banner thresholds, people and roles, templates. */
export function SettingsPage() {
  const backend = useBackend('getSettings', {});
  const { state, act, busy, actionError } = backend;
  const [lastSaved, setLastSaved] = useState<'settings' | 'template' | null>(null);
  const [failedSave, setFailedSave] = useState<'settings' | 'template' | 'stripe' | null>(null);
  if (state.status === 'loading') return <LoadingView label={STRINGS.loading} />;
  if (state.status === 'error') {
    return <ErrorView error={state.error} onRetry={backend.reload} title={STRINGS.loadErrorTitle} />;
  }
  const view = state.data;
  const save = async (what: 'settings' | 'template', run: () => Promise<boolean>) => {
    setLastSaved(null);
    setFailedSave(null);
    if (await run()) setLastSaved(what);
    else setFailedSave(what);
  };
  const errorFor = (what: 'settings' | 'template') => (failedSave === what ? actionError : null);
  return (
    <Flex direction="column" gap="md">
      <FinanceConnection
        view={view}
        stripe={
          <StripeKeyForm
            view={view}
            busy={busy !== null}
            error={failedSave === 'stripe' ? actionError : null}
            connect={async (input) => {
              setFailedSave(null);
              const ok = await act('connectStripe', input);
              if (!ok) setFailedSave('stripe');
              return ok;
            }}
          />
        }
      />
      <FailedSetups view={view} />
      <PortalSettingsForm
        // A fresh form whenever the server's settings change (after a save, or another admin's).
        key={JSON.stringify(view.settings)}
        settings={view.settings}
        busy={busy !== null}
        error={errorFor('settings')}
        saved={lastSaved === 'settings'}
        onSave={(settings) => save('settings', () => act('saveSettings', { settings }))}
      />
      <TemplateEditor
        key={JSON.stringify(view.templates.map((t) => [t.id, t.version]))}
        view={view}
        busy={busy !== null}
        error={errorFor('template')}
        saved={lastSaved === 'template'}
        onSave={(template) => save('template', () => act('saveTemplate', { template }))}
      />
    </Flex>
  );
}

function SaveError({ error }: { error: BackendError | null }) {
  if (!error) return null;
  return (
    <Alert title={STRINGS.saveErrorTitle} variant="danger" testId="save-error">
      <Text>{error.message}</Text>
      {error.path ? <Text variant="microcopy">{STRINGS.errorAt(error.path)}</Text> : null}
    </Alert>
  );
}

function FinanceConnection({ view, stripe }: { view: SettingsView; stripe: ReactNode }) {
  const F = STRINGS.finance;
  const f = view.finance;
  const variant =
    f.status === 'connected' ? 'success' : f.status === 'reconnect_needed' ? 'warning' : ('default' as const);
  const systems = ['quickbooks', 'xero', 'stripe'] as const;
  return (
    <Tile testId="finance">
      <Flex direction="column" gap="sm">
        <Flex direction="row" justify="between" align="center">
          <Heading>{F.heading}</Heading>
          <StatusTag variant={variant} testId="finance-status">
            {F.status[f.status]}
          </StatusTag>
        </Flex>
        <Text>{f.connected && f.displayName ? F.connectedTo(f.displayName) : F.notConnected}</Text>
        {f.lastError ? <Text variant="microcopy">{F.lastError(f.lastError)}</Text> : null}
        <Flex direction="row" gap="md" wrap>
          {systems.map((s) => {
            const url = view.connectUrls[s];
            if (!url) return null;
            const again = f.system === s;
            return (
              <Link key={s} href={{ url, external: true }} testId={`connect-${s}`}>
                {again ? F.reconnect(F.systems[s]) : F.connect(F.systems[s])}
              </Link>
            );
          })}
        </Flex>
        {view.connectUrls.stripe ? null : stripe}
      </Flex>
    </Tile>
  );
}

function FailedSetups({ view }: { view: SettingsView }) {
  const X = STRINGS.failed;
  return (
    <Tile testId="failed-setups">
      <Flex direction="column" gap="sm">
        <Heading>{X.heading}</Heading>
        {view.failedSetups.length === 0 ? (
          <Text variant="microcopy">{X.none}</Text>
        ) : (
          <Table density="condensed">
            <TableHead>
              <TableRow>
                <TableHeader>{X.deal}</TableHeader>
                <TableHeader>{X.error}</TableHeader>
                <TableHeader>{X.when}</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {view.failedSetups.map((f) => (
                <TableRow key={`${f.dealId}/${f.handoffId}`}>
                  <TableCell>{f.dealId}</TableCell>
                  <TableCell>{f.error}</TableCell>
                  <TableCell>{instant(f.at)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Flex>
    </Tile>
  );
}

interface FormProps<T> {
  busy: boolean;
  error: BackendError | null;
  saved: boolean;
  onSave: (value: T) => void;
}

function PortalSettingsForm({ settings, busy, error, saved, onSave }: FormProps<Obj> & { settings: Obj }) {
  const S = STRINGS.portal;
  const [draft, setDraft] = useState<Obj>(settings);
  const [newUser, setNewUser] = useState('');
  const thresholds: Obj = isObj(draft.bannerThresholds) ? draft.bannerThresholds : {};
  const minimums: Obj[] = Array.isArray(thresholds.minimumOverdue) ? thresholds.minimumOverdue.filter(isObj) : [];
  const users: Obj = isObj(draft.users) ? draft.users : {};
  const setThresholds = (patch: Obj) => setDraft({ ...draft, bannerThresholds: { ...thresholds, ...patch } });
  const setUser = (id: string, patch: Obj) => {
    const current = isObj(users[id]) ? (users[id] as Obj) : {};
    setDraft({ ...draft, users: { ...users, [id]: { ...current, ...patch } } });
  };
  const removeUser = (id: string) => {
    const { [id]: _gone, ...rest } = users;
    setDraft({ ...draft, users: rest });
  };
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

  return (
    <Tile testId="portal-settings">
      <Flex direction="column" gap="sm">
        <Heading>{S.heading}</Heading>
        <SaveError error={error} />
        {saved ? <Text testId="settings-saved">{STRINGS.saved}</Text> : null}
        <Input
          name="timeZone"
          label={S.timeZone}
          description={S.timeZoneHelp}
          value={str(draft.timeZone)}
          onChange={(v) => setDraft({ ...draft, timeZone: v })}
          {...errorAt(error, 'timeZone')}
        />
        <Select
          name="manualCorrections"
          label={S.manualCorrections}
          description={S.manualCorrectionsHelp}
          value={str(draft.manualCorrections) || 'flag'}
          options={CORRECTION_POLICY_OPTIONS}
          onChange={(v) => setDraft({ ...draft, manualCorrections: String(v) })}
          {...errorAt(error, 'manualCorrections')}
        />
        <Flex direction="row" gap="sm" wrap>
          <NumberInput
            name="warningFromDaysPastDue"
            label={S.warningFrom}
            min={1}
            value={num(thresholds.warningFromDaysPastDue)}
            onChange={(n) => setThresholds({ warningFromDaysPastDue: n })}
            {...errorAt(error, 'bannerThresholds.warningFromDaysPastDue')}
          />
          <NumberInput
            name="dangerFromDaysPastDue"
            label={S.dangerFrom}
            min={1}
            value={num(thresholds.dangerFromDaysPastDue)}
            onChange={(n) => setThresholds({ dangerFromDaysPastDue: n })}
            {...errorAt(error, 'bannerThresholds.dangerFromDaysPastDue')}
          />
        </Flex>
        <Text format={{ fontWeight: 'demibold' }}>{S.minimumsHeading}</Text>
        {minimums.map((m, i) => {
          const amount = isObj(m) && typeof m.amount === 'number' ? m.amount : 0;
          const currency = str(m.currency) || 'USD';
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; position is their identity
            <Flex key={i} direction="row" gap="sm" align="end">
              <Input
                name={`minimumOverdue[${i}].currency`}
                label={S.currency}
                value={currency}
                onChange={(v) =>
                  setThresholds({
                    minimumOverdue: minimums.map((x, j) => (j === i ? { ...x, currency: v.trim().toUpperCase() } : x)),
                  })
                }
              />
              <MinimumAmount
                index={i}
                currency={currency}
                amount={amount}
                onChange={(minor) =>
                  setThresholds({ minimumOverdue: minimums.map((x, j) => (j === i ? { ...x, amount: minor } : x)) })
                }
              />
              <Button
                size="xs"
                variant="transparent"
                onClick={() => setThresholds({ minimumOverdue: minimums.filter((_, j) => j !== i) })}
              >
                {S.remove}
              </Button>
            </Flex>
          );
        })}
        <Button
          size="xs"
          variant="secondary"
          onClick={() => setThresholds({ minimumOverdue: [...minimums, { amount: 0, currency: 'USD' }] })}
        >
          {S.addMinimum}
        </Button>
        <RenewalSettings
          value={draft.renewals}
          onChange={(renewals) => setDraft({ ...draft, renewals })}
          errorAt={(path) => errorAt(error, path)}
        />

        <Divider />
        <MultiSelect
          name="defaultRoles"
          label={S.defaultRoles}
          value={strings(draft.defaultRoles)}
          options={ROLE_OPTIONS}
          onChange={(v) => setDraft({ ...draft, defaultRoles: v.map(String) })}
        />
        <Text format={{ fontWeight: 'demibold' }}>{S.usersHeading}</Text>
        {Object.keys(users).length === 0 ? <Text variant="microcopy">{S.noUsers}</Text> : null}
        {Object.entries(users).map(([id, access]) => {
          const a: Obj = isObj(access) ? access : {};
          return (
            <Flex key={id} direction="row" gap="sm" align="end" wrap testId={`user-${id}`}>
              <Text format={{ fontWeight: 'demibold' }}>{id}</Text>
              <Input
                name={`users.${id}.name`}
                label={S.userName}
                value={typeof a.name === 'string' ? a.name : ''}
                onChange={(v) => setUser(id, { name: v.trim() === '' ? undefined : v })}
              />
              <MultiSelect
                name={`users.${id}.roles`}
                label={S.roles}
                value={strings(a.roles)}
                options={ROLE_OPTIONS}
                onChange={(v) => setUser(id, { roles: v.map(String) })}
              />
              <Input
                name={`users.${id}.teams`}
                label={S.teams}
                value={strings(a.teams).join(', ')}
                onChange={(v) =>
                  setUser(id, {
                    teams: v
                      .split(',')
                      .map((t) => t.trim())
                      .filter(Boolean),
                  })
                }
              />
              <Button size="xs" variant="transparent" onClick={() => removeUser(id)}>
                {S.remove}
              </Button>
            </Flex>
          );
        })}
        <Flex direction="row" gap="sm" align="end">
          <Input name="newUserId" label={S.newUserId} value={newUser} onChange={setNewUser} />
          <Button
            size="xs"
            variant="secondary"
            disabled={newUser.trim() === '' || newUser.trim() in users}
            onClick={() => {
              setUser(newUser.trim(), { roles: [], teams: [] });
              setNewUser('');
            }}
            testId="add-user"
          >
            {S.addUser}
          </Button>
        </Flex>
        <Button variant="primary" disabled={busy} onClick={() => onSave(draft)} testId="save-settings">
          {S.save}
        </Button>
      </Flex>
    </Tile>
  );
}

/** A minimum in minor units, typed in major units; the conversion keeps the integer exact. */
function MinimumAmount({
  index,
  currency,
  amount,
  onChange,
}: {
  index: number;
  currency: string;
  amount: number;
  onChange: (minor: number) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <CurrencyInput
      name={`minimumOverdue[${index}].amount`}
      label={STRINGS.portal.minimum}
      currency={/^[A-Z]{3}$/.test(currency) ? currency : 'USD'}
      value={toMajorUnits(amount, currency)}
      {...(problem ? { error: true, validationMessage: problem } : {})}
      onChange={(n) => {
        const minor = toMinorUnits(n, currency);
        if (typeof minor === 'string') setProblem(minor);
        else {
          setProblem(null);
          onChange(minor);
        }
      }}
    />
  );
}

function toMajorUnits(minor: number, currency: string): number | undefined {
  try {
    return Number(toDecimalString({ amount: minor, currency }));
  } catch {
    return undefined;
  }
}

function toMinorUnits(n: number | null | undefined, currency: string): number | string {
  if (n === null || n === undefined || Number.isNaN(n)) return 0;
  try {
    return fromDecimalString(String(n), currency).amount;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function TemplateEditor({ view, busy, error, saved, onSave }: FormProps<Obj> & { view: SettingsView }) {
  const T = STRINGS.template;
  const [selectedId, setSelectedId] = useState(str(view.templates[0]?.id));
  const original = view.templates.find((t) => t.id === selectedId) ?? view.templates[0];
  const [drafts, setDrafts] = useState<Record<string, Obj>>({});
  if (!original) {
    return (
      <Tile testId="templates">
        <EmptyState title={T.heading} layout="vertical" imageName="task">
          <Text>{T.none}</Text>
        </EmptyState>
      </Tile>
    );
  }
  const id = str(original.id);
  const draft = drafts[id] ?? original;
  const set = (patch: Obj) => setDrafts({ ...drafts, [id]: { ...draft, ...patch } });
  const required: Obj[] = Array.isArray(draft.requiredFields) ? draft.requiredFields.filter(isObj) : [];
  const always = required.filter((r) => r.required === 'always');
  const conditional = required.filter((r) => r.required !== 'always');
  const reasons: Obj[] = Array.isArray(draft.rejectionReasons) ? draft.rejectionReasons.filter(isObj) : [];
  const sla: Obj = isObj(draft.sla) ? draft.sla : {};
  const label = (key: string) => view.fields.find((f) => f.key === key)?.label ?? key;
  const fieldOptions = view.fields
    .filter((f) => !conditional.some((c) => c.field === f.key))
    .map((f) => ({ value: f.key, label: `${f.label} (${f.section})` }));
  const setAlways = (keys: string[]) => {
    const kept = keys.map(
      (key) => always.find((r) => r.field === key) ?? { field: key, required: 'always', severity: 'blocking' },
    );
    set({ requiredFields: [...kept, ...conditional] });
  };
  const version = typeof draft.version === 'number' ? draft.version : 1;

  return (
    <Tile testId="templates">
      <Flex direction="column" gap="sm">
        <Heading>{T.heading}</Heading>
        <SaveError error={error} />
        {saved ? <Text testId="template-saved">{STRINGS.saved}</Text> : null}
        <Select
          name="templateId"
          label={T.choose}
          value={id}
          options={view.templates.map((t) => ({ value: str(t.id), label: str(t.name) || str(t.id) }))}
          onChange={(v) => setSelectedId(String(v))}
        />
        <Text variant="microcopy">{T.version(version)}</Text>
        <MultiSelect
          name="requiredFields"
          label={T.requiredFields}
          value={always.map((r) => str(r.field))}
          options={fieldOptions}
          onChange={(v) => setAlways(v.map(String))}
          {...errorAt(error, 'requiredFields')}
        />
        {conditional.length > 0 ? (
          <Flex direction="column" gap="flush">
            <Text variant="microcopy">{T.conditional}</Text>
            {conditional.map((c) => {
              const when = isObj(c.required) && isObj(c.required.when) ? str(c.required.when.field) : '';
              return (
                <Text key={str(c.field)} variant="microcopy">
                  {T.conditionalLine(label(str(c.field)), label(when))}
                </Text>
              );
            })}
          </Flex>
        ) : null}

        <Text format={{ fontWeight: 'demibold' }}>{T.reasonsHeading}</Text>
        {reasons.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; position is their identity
          <Flex key={i} direction="row" gap="sm" align="end" wrap>
            <Input
              name={`rejectionReasons[${i}].label`}
              label={T.reasonLabel}
              value={str(r.label)}
              onChange={(v) => set({ rejectionReasons: reasons.map((x, j) => (j === i ? { ...x, label: v } : x)) })}
              {...errorAt(error, `rejectionReasons[${i}].label`)}
            />
            <Input
              name={`rejectionReasons[${i}].code`}
              label={T.reasonCode}
              value={str(r.code)}
              onChange={(v) => set({ rejectionReasons: reasons.map((x, j) => (j === i ? { ...x, code: v } : x)) })}
              {...errorAt(error, `rejectionReasons[${i}].code`)}
            />
            <Button
              size="xs"
              variant="transparent"
              onClick={() => set({ rejectionReasons: reasons.filter((_, j) => j !== i) })}
            >
              {STRINGS.portal.remove}
            </Button>
          </Flex>
        ))}
        <Button
          size="xs"
          variant="secondary"
          onClick={() => set({ rejectionReasons: [...reasons, { code: '', label: '' }] })}
        >
          {T.addReason}
        </Button>

        <Flex direction="row" gap="sm" wrap>
          <NumberInput
            name="sla.hours"
            label={T.slaHours}
            value={typeof sla.hours === 'number' ? sla.hours : undefined}
            onChange={(n) => set({ sla: { ...sla, hours: n } })}
            {...errorAt(error, 'sla.hours')}
          />
          <Select
            name="sla.calendar"
            label={T.slaCalendar}
            value={str(sla.calendar) || undefined}
            options={['business', 'calendar'].map((c) => ({ value: c, label: T.calendars[c] ?? c }))}
            onChange={(v) => set({ sla: { ...sla, calendar: String(v) } })}
            {...errorAt(error, 'sla.calendar')}
          />
          <Select
            name="exceptionOwnerRole"
            label={T.exceptionOwner}
            value={str(draft.exceptionOwnerRole) || undefined}
            options={ROLE_OPTIONS}
            onChange={(v) => set({ exceptionOwnerRole: String(v) })}
            {...errorAt(error, 'exceptionOwnerRole')}
          />
        </Flex>
        {isObj(draft.policy) && draft.policy.autoStartBillingOnAcceptance === true ? (
          <Flex direction="column" gap="flush">
            <Select
              name="quickbooksScheduledAs"
              label={T.scheduledAs}
              value={str(draft.quickbooksScheduledAs) || 'held'}
              options={ScheduledInvoicesAsSchema.options.map((v) => ({
                value: v,
                label: T.scheduledAsOptions[v] ?? v,
              }))}
              onChange={(v) => set({ quickbooksScheduledAs: String(v) })}
              testId="template-quickbooks-scheduled-as"
              {...errorAt(error, 'quickbooksScheduledAs')}
            />
            <Text variant="microcopy">{T.scheduledAsNote(view.finance.connected ? view.finance.system : null)}</Text>
          </Flex>
        ) : null}
        <Button variant="primary" disabled={busy} onClick={() => onSave(draft)} testId="save-template">
          {T.save}
        </Button>
      </Flex>
    </Tile>
  );
}
