import { HandoffViewSchema } from '../src/api/contracts.js';
import * as milestones from '../src/app/milestones.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Records that the customer accepted a milestone; its held invoice is issued (QuickBooks) or drafted (Xero/Stripe). */
export const markMilestoneAccepted = defineHandler<
  typeof milestones.MarkMilestoneAcceptedInput,
  typeof HandoffViewSchema,
  AppServices
>({
  name: 'markMilestoneAccepted',
  input: milestones.MarkMilestoneAcceptedInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => milestones.markMilestoneAccepted(ctx, input),
});
