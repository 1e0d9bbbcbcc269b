import { HandoffViewSchema, SubmitHandoffInput } from '../src/api/contracts.js';
import * as handoffs from '../src/app/handoff-service.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Submits a complete handoff (or resubmits a rejected one) to the receiving team. */
export const submitHandoff = defineHandler<typeof SubmitHandoffInput, typeof HandoffViewSchema, AppServices>({
  name: 'submitHandoff',
  input: SubmitHandoffInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => handoffs.submitHandoff(ctx, input),
});
