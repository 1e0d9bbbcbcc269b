import { Button, Flex, Input } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { BillingView, HandoffView } from '../../src/api/contracts.js';
import type { Backend } from '../shared/use-backend.js';
import { STRINGS } from './strings.js';

const B = STRINGS.billing;

export interface HeldInvoiceActionsProps {
  view: HandoffView;
  invoice: BillingView['invoices'][number];
  backend: Pick<Backend<HandoffView>, 'act' | 'busy'>;
}

/**
 * What a person can do with an invoice we hold before it is issued: record that the customer accepted its
 * milestone (the invoice is then issued), or cancel it with a reason. The server decides who may (`canMarkAccepted`,
 * `canCancel`) and enforces it again.
 */
export function HeldInvoiceActions({ view, invoice, backend }: HeldInvoiceActionsProps) {
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const handoffId = view.billing.handoffId;
  if (!handoffId) return null;
  const busy = backend.busy !== null;
  const base = { dealId: view.deal.id, handoffId };
  if (cancelling) {
    return (
      <Flex direction="row" gap="xs" align="end" wrap="wrap">
        <Input
          name={`cancel-reason-${invoice.key}`}
          label={B.cancelReason}
          value={reason}
          onChange={(v) => setReason(v)}
          testId={`cancel-reason-${invoice.key}`}
        />
        <Button
          size="small"
          variant="destructive"
          disabled={busy || reason.trim() === ''}
          onClick={() =>
            void backend.act('cancelScheduledInvoice', { ...base, invoiceKey: invoice.key, reason: reason.trim() })
          }
          testId={`confirm-cancel-${invoice.key}`}
        >
          {B.confirmCancel}
        </Button>
        <Button size="small" disabled={busy} onClick={() => setCancelling(false)}>
          {B.keep}
        </Button>
      </Flex>
    );
  }
  return (
    <Flex direction="row" gap="xs">
      {invoice.canMarkAccepted && invoice.milestoneId ? (
        <Button
          size="small"
          disabled={busy}
          onClick={() =>
            void backend.act('markMilestoneAccepted', { ...base, milestoneId: invoice.milestoneId as string })
          }
          testId={`mark-accepted-${invoice.key}`}
        >
          {B.markAccepted}
        </Button>
      ) : null}
      {invoice.canCancel ? (
        <Button size="small" disabled={busy} onClick={() => setCancelling(true)} testId={`cancel-${invoice.key}`}>
          {B.cancel}
        </Button>
      ) : null}
    </Flex>
  );
}
