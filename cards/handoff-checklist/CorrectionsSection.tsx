import { Button, Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import type { CorrectionView, HandoffView } from '../../src/api/contracts.js';
import type { Backend } from '../shared/use-backend.js';

/** The card's words for manual corrections (kept beside the component; STRINGS holds the rest of the card). */
export const CORRECTION_STRINGS = {
  heading: 'Changed in the finance system',
  status: {
    adopted: 'Adopted into HubSpot',
    flagged: 'Needs review',
    acknowledged: 'Reviewed',
    superseded: 'Changed again since',
  },
  acknowledgedBy: (user: string) => `Reviewed by user ${user}`,
  acknowledge: 'Mark reviewed',
} as const;

const VARIANT = { adopted: 'success', flagged: 'warning', acknowledged: 'default', superseded: 'default' } as const;

export interface CorrectionsSectionProps {
  view: HandoffView;
  backend: Pick<Backend<HandoffView>, 'act' | 'busy'>;
}

/**
 * Manual corrections on the deal: "Payment terms changed in Xero on 3 Nov: Net 30 → Net 45" with the policy outcome
 * (adopted into HubSpot, or flagged for review with a button for finance and RevOps). Nothing when there are none.
 */
export function CorrectionsSection({ view, backend }: CorrectionsSectionProps) {
  const list: CorrectionView[] = view.billing.corrections ?? [];
  if (list.length === 0) return null;
  const S = CORRECTION_STRINGS;
  return (
    <Flex direction="column" gap="xs" testId="corrections">
      <Text format={{ fontWeight: 'demibold' }}>{S.heading}</Text>
      {list.map((c) => (
        <Flex key={c.id} direction="row" gap="sm" align="center" wrap="wrap" testId={`correction-${c.id}`}>
          <StatusTag variant={VARIANT[c.status]}>{S.status[c.status]}</StatusTag>
          <Text>{c.text}</Text>
          {c.note ? <Text variant="microcopy">{c.note}</Text> : null}
          {c.acknowledgedBy ? <Text variant="microcopy">{S.acknowledgedBy(c.acknowledgedBy)}</Text> : null}
          {c.canAcknowledge ? (
            <Button
              size="small"
              disabled={backend.busy !== null}
              onClick={() => void backend.act('acknowledgeCorrection', { dealId: view.deal.id, correctionId: c.id })}
              testId={`acknowledge-${c.id}`}
            >
              {S.acknowledge}
            </Button>
          ) : null}
        </Flex>
      ))}
    </Flex>
  );
}
