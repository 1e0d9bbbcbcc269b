import type { z } from 'zod';
import type { HandlerContext } from '../../serverless/handler.js';
import type { AcknowledgeCorrectionInput, CorrectionView, HandoffView } from '../api/contracts.js';
import { DomainError } from '../core/errors.js';
import { correctionText } from '../corrections/detect.js';
import { acknowledgeCorrectionIn } from '../jobs/corrections.js';
import { type CorrectionRow, correctionsStore } from '../store/corrections-store.js';
import { getHandoffView } from './handoff-service.js';
import type { AppServices } from './services.js';

type Ctx = HandlerContext<AppServices>;

/** Who reviews changes made in the finance system. */
const REVIEW_ROLES = ['finance', 'revops'];

/**
 * A recorded correction as the deal card shows it. Pure.
 * @example correctionView(row, 'UTC', true).text // 'Payment terms changed in Xero on 3 Nov: Net 30 → Net 45'
 */
export function correctionView(row: CorrectionRow, timeZone: string, mayReview: boolean): CorrectionView {
  const at = row.vendorUpdatedAt ?? row.detectedAt;
  return {
    id: row.id,
    text: correctionText(row, row.system, at, timeZone),
    field: row.field,
    system: row.system,
    status: row.status,
    note: row.writebackNote,
    at: at.toISOString(),
    acknowledgedBy: row.status === 'acknowledged' ? row.resolvedBy : null,
    canAcknowledge: mayReview && row.status === 'flagged',
  };
}

/**
 * The deal's manual corrections for its view, newest first.
 * @example await correctionViewsOf(ctx, '1001')
 */
export async function correctionViewsOf(ctx: Ctx, dealId: string): Promise<CorrectionView[]> {
  const rows = await correctionsStore(ctx.services.store.db, ctx.portalId).corrections.byDeal(dealId);
  const mayReview = ctx.user.roles.some((r) => REVIEW_ROLES.includes(r));
  return rows.map((r) => correctionView(r, ctx.services.settings.timeZone, mayReview));
}

/**
 * Finance or RevOps acknowledges a flagged correction: it becomes the baseline later changes compare with.
 * @example await acknowledgeCorrection(ctx, { dealId: '1001', correctionId })
 */
export async function acknowledgeCorrection(
  ctx: Ctx,
  input: z.output<typeof AcknowledgeCorrectionInput>,
): Promise<HandoffView> {
  if (!ctx.user.roles.some((r) => REVIEW_ROLES.includes(r))) {
    throw new DomainError('forbidden', 'Only finance or revops may acknowledge a change made in the finance system');
  }
  const cstore = correctionsStore(ctx.services.store.db, ctx.portalId);
  const row = await cstore.corrections.get(input.correctionId);
  if (!row || row.dealId !== input.dealId) {
    throw new DomainError('not_found', `Deal ${input.dealId} has no correction ${input.correctionId}`, 'correctionId');
  }
  if (row.status === 'flagged') {
    const done = await acknowledgeCorrectionIn(ctx.services.store.db, ctx.portalId, row.id, ctx.user.id, ctx.now);
    if (!done) {
      throw new DomainError('conflict', 'This correction was resolved meanwhile; reload the card', 'correctionId');
    }
  } else if (row.status !== 'acknowledged') {
    throw new DomainError(
      'conflict',
      row.status === 'adopted'
        ? 'This correction was adopted into HubSpot; there is nothing to acknowledge'
        : 'A later change in the finance system replaced this correction; acknowledge that one',
      'correctionId',
    );
  }
  return getHandoffView(ctx, { dealId: input.dealId });
}
