import { EmptyState, Flex, Text } from '@hubspot/ui-extensions';
import { ActionErrorAlert, ErrorView, LoadingView } from '../shared/StateViews.js';
import { useBackend } from '../shared/use-backend.js';
import { BillingSection } from './BillingSection.js';
import { HandoffSection } from './HandoffSection.js';
import { STRINGS } from './strings.js';

export interface HandoffChecklistProps {
  /** The deal record the card sits on. */
  dealId: string;
}

/**
 * The deal tab card: every handoff of the deal (Sales → CS, CS → Finance) with its checklist, review and
 * exceptions, then billing. One `getHandoffView` call per load; each action answers the fresh view.
 */
export function HandoffChecklist({ dealId }: HandoffChecklistProps) {
  const backend = useBackend('getHandoffView', { dealId });
  const { state } = backend;
  if (state.status === 'loading') return <LoadingView label={STRINGS.loading} />;
  if (state.status === 'error') {
    return <ErrorView error={state.error} onRetry={backend.reload} title={STRINGS.loadErrorTitle} />;
  }
  const view = state.data;
  return (
    <Flex direction="column" gap="md">
      {backend.actionError ? (
        <ActionErrorAlert
          error={backend.actionError}
          title={STRINGS.actionErrorTitle}
          onDismiss={backend.clearActionError}
          onReload={backend.reload}
        />
      ) : null}
      {view.deal.stageLabel ? <Text variant="microcopy">{STRINGS.dealStage(view.deal.stageLabel)}</Text> : null}
      {view.handoffs.length === 0 ? (
        <EmptyState title={STRINGS.emptyTitle} layout="vertical" imageName="deals" testId="empty">
          <Text>{STRINGS.emptyText}</Text>
        </EmptyState>
      ) : (
        <>
          {view.handoffs.map((h) => (
            // Keyed by revision too: a saved handoff starts a fresh form from the server's values.
            <HandoffSection key={`${h.id}:${h.revision}`} view={view} handoff={h} backend={backend} />
          ))}
          <BillingSection view={view} backend={backend} />
        </>
      )}
    </Flex>
  );
}
