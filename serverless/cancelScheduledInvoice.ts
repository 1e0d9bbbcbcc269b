import { HandoffViewSchema } from '../src/api/contracts.js';
import * as milestones from '../src/app/milestones.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Cancels a held invoice before it is issued (finance only); one already in the finance system must be voided there. */
export const cancelScheduledInvoice = defineHandler<
  typeof milestones.CancelScheduledInvoiceInput,
  typeof HandoffViewSchema,
  AppServices
>({
  name: 'cancelScheduledInvoice',
  input: milestones.CancelScheduledInvoiceInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => milestones.cancelScheduledInvoice(ctx, input),
});
