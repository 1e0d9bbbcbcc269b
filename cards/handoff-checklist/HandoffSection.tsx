import {
  Alert,
  Button,
  ButtonRow,
  Divider,
  Flex,
  Heading,
  List,
  MultiSelect,
  ProgressBar,
  Select,
  StatusTag,
  Text,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';
import type { FieldView, HandoffCard, HandoffView } from '../../src/api/contracts.js';
import { isHandoffFieldKey, validateField } from '../../src/handoff/fields.js';
import { day, duration, instant } from '../shared/format.js';
import { SHARED_STRINGS } from '../shared/strings.js';
import type { Backend } from '../shared/use-backend.js';
import { FieldEditor } from './FieldEditor.js';
import { STRINGS, teamLabel } from './strings.js';
import { displayValue, isMoney } from './values.js';

type StatusVariant = 'danger' | 'warning' | 'info' | 'success' | 'default';

const SECTIONS = ['commercial', 'billing', 'stakeholders', 'delivery'] as const;

/** The tag of a field's status; a missing warning-only field is a warning, not a danger. */
export function fieldStatusVariant(field: FieldView): StatusVariant {
  switch (field.status) {
    case 'ok':
      return 'success';
    case 'needs_approval':
      return 'warning';
    case 'missing':
    case 'invalid':
      return field.severity === 'warning' ? 'warning' : 'danger';
  }
}

const STATE_VARIANT: Record<HandoffCard['state'], StatusVariant> = {
  draft: 'default',
  submitted: 'info',
  accepted: 'success',
  rejected: 'danger',
  billing_pending: 'info',
  billing_live: 'success',
  billing_failed: 'danger',
};

const SLA_VARIANT: Record<string, StatusVariant> = {
  not_started: 'default',
  on_track: 'success',
  met: 'success',
  due_soon: 'warning',
  breached: 'danger',
};

const EXCEPTION_VARIANT = { requested: 'info', approved: 'success', denied: 'danger', expired: 'default' } as const;

/** Test ids are unique per handoff, since a deal shows several. @example tidOf('h-fin')('submit') // 'h-fin/submit' */
export const tidOf = (handoffId: string) => (name: string) => `${handoffId}/${name}`;

/** The currency money fields default to: the handoff's currency field, else the deal amount's, else USD. */
function defaultCurrency(view: HandoffView, handoff: HandoffCard): string {
  const field = handoff.fields.find((f) => f.key === 'currency');
  if (typeof field?.value === 'string' && /^[A-Z]{3}$/.test(field.value)) return field.value;
  const amountField = handoff.fields.find((f) => f.type === 'money' && isMoney(f.value));
  if (amountField && isMoney(amountField.value)) return amountField.value.currency;
  return view.deal.amount?.currency ?? 'USD';
}

export interface HandoffSectionProps {
  view: HandoffView;
  handoff: HandoffCard;
  backend: Pick<Backend<HandoffView>, 'act' | 'busy'>;
}

/** One handoff: progress, SLA clock, fields by section with inline editing, review actions, exceptions, thread. */
export function HandoffSection({ view, handoff, backend }: HandoffSectionProps) {
  const { act, busy } = backend;
  const dealId = view.deal.id;
  const ref = { dealId, handoffId: handoff.id, revision: handoff.revision };
  const [drafts, setDrafts] = useState<Record<string, unknown>>({});
  const [inputProblems, setInputProblems] = useState<Record<string, string>>({});
  const [opened, setOpened] = useState<ReadonlyArray<string>>([]);
  const [rejectReason, setRejectReason] = useState('');
  const [rejectNote, setRejectNote] = useState('');
  const [message, setMessage] = useState('');
  const [waives, setWaives] = useState<string[]>([]);
  const [exceptionReason, setExceptionReason] = useState('');
  const currency = defaultCurrency(view, handoff);
  const disabled = busy !== null;
  const tid = tidOf(handoff.id);

  // The server's own schema, field by field, as the person types.
  const problems = useMemo(() => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(drafts)) {
      const local = inputProblems[key];
      if (local) {
        out[key] = local;
        continue;
      }
      if (!isHandoffFieldKey(key)) continue; // a field newer than this bundle: the server judges it on save
      const result = validateField(key, value);
      if (!result.ok) out[key] = result.message;
    }
    return out;
  }, [drafts, inputProblems]);

  const dirtyCount = Object.keys(drafts).length;
  const canSave = handoff.can.edit && dirtyCount > 0 && Object.keys(problems).length === 0;

  const change = (key: string) => (value: unknown, problem?: string) => {
    setDrafts((d) => ({ ...d, [key]: value }));
    setInputProblems((p) => {
      const { [key]: _old, ...rest } = p;
      return problem ? { ...rest, [key]: problem } : rest;
    });
  };
  const cancel = (key: string) => {
    setDrafts(({ [key]: _d, ...rest }) => rest);
    setInputProblems(({ [key]: _p, ...rest }) => rest);
    setOpened((o) => o.filter((k) => k !== key));
  };
  const save = async () => {
    // Nothing the server schema refuses is sent, even if a disabled Save is clicked.
    if (!canSave) return;
    if (await act('saveHandoffFields', { ...ref, values: drafts })) {
      setDrafts({});
      setInputProblems({});
      setOpened([]);
    }
  };

  const fieldLabel = (key: string) => handoff.fields.find((f) => f.key === key)?.label ?? key;
  const toTeam = teamLabel(handoff.toTeam);
  const sla = handoff.sla;
  const progressVariant = handoff.complete ? 'success' : handoff.blockingCount > 0 ? 'danger' : 'warning';

  return (
    <Tile testId={tid('handoff')}>
      <Flex direction="column" gap="sm">
        <Flex direction="row" justify="between" align="center" wrap>
          <Heading>{handoff.templateName}</Heading>
          <StatusTag variant={STATE_VARIANT[handoff.state]} testId={tid('state')}>
            {STRINGS.state[handoff.state]}
          </StatusTag>
        </Flex>
        <Text variant="microcopy">{STRINGS.template(handoff.templateVersion)}</Text>
        <ProgressBar
          title={STRINGS.progressLabel}
          aria-label={STRINGS.progressLabel}
          value={handoff.percentComplete}
          maxValue={100}
          showPercentage
          valueDescription={STRINGS.percentComplete(handoff.percentComplete)}
          variant={progressVariant}
          testId={tid('progress')}
        />
        <Text variant="microcopy">{STRINGS.counts(handoff.blockingCount, handoff.warningCount)}</Text>

        {handoff.rejection ? (
          <Alert
            title={STRINGS.rejectedTitle(handoff.rejection.reasonLabel)}
            variant="warning"
            testId={tid('rejection')}
          >
            {handoff.rejection.note}
          </Alert>
        ) : null}

        {sla ? (
          <Flex direction="row" gap="sm" align="center" wrap testId={tid('sla')}>
            <Text format={{ fontWeight: 'demibold' }}>{STRINGS.sla.heading}</Text>
            <StatusTag variant={SLA_VARIANT[sla.status] ?? 'default'}>
              {STRINGS.sla.status[sla.status] ?? sla.status}
            </StatusTag>
            {sla.dueAt ? <Text>{STRINGS.sla.due(instant(sla.dueAt))}</Text> : null}
            {sla.overdueMs ? (
              <Text>{STRINGS.sla.overdue(duration(sla.overdueMs))}</Text>
            ) : sla.remainingMs ? (
              <Text>{STRINGS.sla.left(duration(sla.remainingMs))}</Text>
            ) : null}
            {sla.nextStepOwner ? <Text>{STRINGS.sla.nextStep(teamLabel(sla.nextStepOwner))}</Text> : null}
          </Flex>
        ) : null}

        {handoff.suggestions.length > 0 ? (
          <Alert title={STRINGS.suggestionsTitle} variant="info">
            <List>
              {handoff.suggestions.map((s) => (
                <Text key={`${s.field}-${s.kind}`}>{s.message}</Text>
              ))}
            </List>
          </Alert>
        ) : null}

        {SECTIONS.map((section) => {
          const fields = handoff.fields.filter((f) => f.section === section);
          if (fields.length === 0) return null;
          return (
            <Flex key={section} direction="column" gap="xs">
              <Divider />
              <Heading>{STRINGS.sections[section]}</Heading>
              {fields.map((field) => {
                const editing =
                  handoff.can.edit && (field.status !== 'ok' || opened.includes(field.key) || field.key in drafts);
                return (
                  <Flex key={field.key} direction="column" gap="xs" testId={tid(`field-${field.key}`)}>
                    <Flex direction="row" justify="between" align="center" gap="sm">
                      <Text format={{ fontWeight: 'demibold' }}>{field.label}</Text>
                      <StatusTag variant={fieldStatusVariant(field)} testId={tid(`status-${field.key}`)}>
                        {STRINGS.fieldStatus[field.status]}
                        {field.status !== 'ok' && field.severity === 'warning' ? ` ${STRINGS.warningOnly}` : ''}
                      </StatusTag>
                    </Flex>
                    {field.reason ? (
                      <Text variant="microcopy" testId={tid(`reason-${field.key}`)}>
                        {field.reason}
                      </Text>
                    ) : null}
                    {editing ? (
                      <Flex direction="column" gap="xs">
                        <FieldEditor
                          field={field}
                          value={field.key in drafts ? drafts[field.key] : field.value}
                          currency={currency}
                          problem={problems[field.key]}
                          onChange={change(field.key)}
                          taxCodes={view.billing.taxCodes}
                        />
                        {field.status === 'ok' || field.key in drafts ? (
                          <Button size="xs" variant="transparent" onClick={() => cancel(field.key)}>
                            {STRINGS.cancelEdit}
                          </Button>
                        ) : null}
                      </Flex>
                    ) : (
                      <Flex direction="row" gap="sm" align="center">
                        <Text>{displayValue(field)}</Text>
                        {handoff.can.edit ? (
                          <Button
                            size="xs"
                            variant="transparent"
                            onClick={() => setOpened((o) => [...o, field.key])}
                            testId={tid(`edit-${field.key}`)}
                          >
                            {STRINGS.edit}
                          </Button>
                        ) : null}
                      </Flex>
                    )}
                  </Flex>
                );
              })}
            </Flex>
          );
        })}

        {handoff.can.edit ? (
          <Flex direction="row" gap="sm" align="center">
            <Button variant="primary" disabled={!canSave || disabled} onClick={() => save()} testId={tid('save')}>
              {busy === 'saveHandoffFields' ? SHARED_STRINGS.saving : STRINGS.saveChanges}
            </Button>
            {dirtyCount > 0 ? <Text variant="microcopy">{STRINGS.unsavedCount(dirtyCount)}</Text> : null}
            {Object.keys(problems).length > 0 ? <Text variant="microcopy">{STRINGS.fixBeforeSaving}</Text> : null}
          </Flex>
        ) : null}

        {handoff.can.submit ? (
          <ButtonRow>
            <Button
              variant="primary"
              disabled={disabled || dirtyCount > 0}
              onClick={() => void act('submitHandoff', ref)}
              testId={tid('submit')}
            >
              {handoff.state === 'rejected' ? STRINGS.actions.resubmit(toTeam) : STRINGS.actions.submit(toTeam)}
            </Button>
          </ButtonRow>
        ) : null}

        {handoff.can.review ? (
          <Flex direction="column" gap="xs" testId={tid('review')}>
            <Divider />
            <Heading>{STRINGS.actions.reviewHeading}</Heading>
            <Button
              variant="primary"
              disabled={disabled}
              onClick={() => void act('reviewHandoff', { ...ref, action: { type: 'accept' } })}
              testId={tid('accept')}
            >
              {STRINGS.actions.accept}
            </Button>
            <Select
              name="rejectReason"
              label={STRINGS.actions.rejectReason}
              value={rejectReason || undefined}
              options={handoff.rejectionReasons.map((r) => ({ value: r.code, label: r.label }))}
              onChange={(v) => setRejectReason(String(v))}
            />
            <TextArea
              name="rejectNote"
              label={STRINGS.actions.rejectNote}
              placeholder={STRINGS.actions.rejectNotePlaceholder}
              value={rejectNote}
              onChange={setRejectNote}
            />
            <Button
              variant="destructive"
              disabled={disabled || !rejectReason || rejectNote.trim() === ''}
              onClick={async () => {
                const ok = await act('reviewHandoff', {
                  ...ref,
                  action: { type: 'reject', reason: rejectReason, note: rejectNote.trim() },
                });
                if (ok) {
                  setRejectReason('');
                  setRejectNote('');
                }
              }}
              testId={tid('reject')}
            >
              {STRINGS.actions.reject}
            </Button>
          </Flex>
        ) : null}

        <ExceptionsPart
          handoff={handoff}
          fieldLabel={fieldLabel}
          disabled={disabled}
          waives={waives}
          setWaives={setWaives}
          reason={exceptionReason}
          setReason={setExceptionReason}
          onDecide={(exceptionId, decision) => void act('decideException', { dealId, exceptionId, decision })}
          onRequest={async () => {
            const ok = await act('requestException', {
              dealId,
              handoffId: handoff.id,
              reason: exceptionReason.trim(),
              waives,
            });
            if (ok) {
              setWaives([]);
              setExceptionReason('');
            }
          }}
        />

        <Divider />
        <Heading>{STRINGS.thread.heading}</Heading>
        {handoff.thread.length === 0 ? (
          <Text variant="microcopy">{STRINGS.thread.empty}</Text>
        ) : (
          <List testId={tid('thread')}>
            {handoff.thread.map((entry, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the thread is append-only, so position is stable
              <Flex key={i} direction="column" gap="flush">
                <Text variant="microcopy">
                  {STRINGS.thread.line(
                    entry.actorName ?? entry.actor,
                    STRINGS.thread.types[entry.type] ?? entry.type.replaceAll('_', ' '),
                    instant(entry.at),
                  )}
                </Text>
                {entry.text ? <Text>{entry.text}</Text> : null}
              </Flex>
            ))}
          </List>
        )}
        {handoff.can.ask || handoff.can.answer ? (
          <Flex direction="column" gap="xs">
            <TextArea
              name="message"
              label={STRINGS.actions.question}
              placeholder={STRINGS.actions.questionPlaceholder}
              value={message}
              onChange={setMessage}
            />
            <ButtonRow>
              {handoff.can.ask ? (
                <Button
                  disabled={disabled || message.trim() === ''}
                  onClick={async () => {
                    if (await act('reviewHandoff', { ...ref, action: { type: 'ask', message: message.trim() } }))
                      setMessage('');
                  }}
                  testId={tid('ask')}
                >
                  {STRINGS.actions.ask}
                </Button>
              ) : null}
              {handoff.can.answer ? (
                <Button
                  disabled={disabled || message.trim() === ''}
                  onClick={async () => {
                    if (await act('reviewHandoff', { ...ref, action: { type: 'answer', message: message.trim() } }))
                      setMessage('');
                  }}
                  testId={tid('answer')}
                >
                  {STRINGS.actions.answer}
                </Button>
              ) : null}
            </ButtonRow>
          </Flex>
        ) : null}
      </Flex>
    </Tile>
  );
}

interface ExceptionsPartProps {
  handoff: HandoffCard;
  fieldLabel: (key: string) => string;
  disabled: boolean;
  waives: string[];
  setWaives: (w: string[]) => void;
  reason: string;
  setReason: (r: string) => void;
  onDecide: (exceptionId: string, decision: 'approve' | 'deny') => void;
  onRequest: () => void;
}

function ExceptionsPart(p: ExceptionsPartProps) {
  const { handoff } = p;
  const X = STRINGS.exceptions;
  const tid = tidOf(handoff.id);
  if (handoff.exceptions.length === 0 && !handoff.can.requestException) return null;
  const waivable = handoff.fields.filter((f) => f.status !== 'ok').map((f) => ({ value: f.key, label: f.label }));
  return (
    <Flex direction="column" gap="xs" testId={tid('exceptions')}>
      <Divider />
      <Heading>{X.heading}</Heading>
      {handoff.exceptions.length === 0 ? <Text variant="microcopy">{X.none}</Text> : null}
      {handoff.exceptions.map((e) => (
        <Tile key={e.id} compact testId={tid(`exception-${e.id}`)}>
          <Flex direction="column" gap="xs">
            <Flex direction="row" gap="sm" align="center">
              <StatusTag variant={EXCEPTION_VARIANT[e.status]}>{X.status[e.status]}</StatusTag>
              <Text>{e.reason}</Text>
            </Flex>
            <Text variant="microcopy">{X.waives(e.waives.map(p.fieldLabel).join(', '))}</Text>
            <Text variant="microcopy">
              {X.requestedBy(e.requestedBy, day(e.requestedAt.slice(0, 10)))} ·{' '}
              {X.expires(day(e.expiresAt.slice(0, 10)))} · {X.approverRole(e.approverRole)}
            </Text>
            {e.decidedBy ? (
              <Text variant="microcopy">
                {X.decided(e.decidedBy)}
                {e.decisionNote ? ` — ${e.decisionNote}` : ''}
              </Text>
            ) : null}
            {handoff.can.decideException && e.status === 'requested' ? (
              <ButtonRow>
                <Button
                  variant="primary"
                  disabled={p.disabled}
                  onClick={() => p.onDecide(e.id, 'approve')}
                  testId={tid(`approve-${e.id}`)}
                >
                  {X.approve}
                </Button>
                <Button
                  variant="destructive"
                  disabled={p.disabled}
                  onClick={() => p.onDecide(e.id, 'deny')}
                  testId={tid(`deny-${e.id}`)}
                >
                  {X.deny}
                </Button>
              </ButtonRow>
            ) : null}
          </Flex>
        </Tile>
      ))}
      {handoff.can.requestException ? (
        <Flex direction="column" gap="xs" testId={tid('exception-request')}>
          <Text format={{ fontWeight: 'demibold' }}>{X.requestHeading}</Text>
          <MultiSelect
            name="waives"
            label={X.fieldsToWaive}
            value={p.waives}
            options={waivable}
            onChange={(v) => p.setWaives(v.map(String))}
          />
          <TextArea name="exceptionReason" label={X.reason} value={p.reason} onChange={p.setReason} />
          <Button
            disabled={p.disabled || p.waives.length === 0 || p.reason.trim() === ''}
            onClick={() => p.onRequest()}
            testId={tid('request-exception')}
          >
            {X.request}
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}
