import { HandoffViewSchema, ReviewHandoffInput } from '../src/api/contracts.js';
import * as handoffs from '../src/app/handoff-service.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Accept or reject with a reason (receiving team only), or ask and answer questions in the thread. */
export const reviewHandoff = defineHandler<typeof ReviewHandoffInput, typeof HandoffViewSchema, AppServices>({
  name: 'reviewHandoff',
  input: ReviewHandoffInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => handoffs.reviewHandoff(ctx, input),
});
