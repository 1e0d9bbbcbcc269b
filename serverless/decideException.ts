import { DecideExceptionInput, HandoffViewSchema } from '../src/api/contracts.js';
import * as handoffs from '../src/app/handoff-service.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Approves or denies an exception (exception owner only, never one's own request). */
export const decideException = defineHandler<typeof DecideExceptionInput, typeof HandoffViewSchema, AppServices>({
  name: 'decideException',
  input: DecideExceptionInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => handoffs.decideHandoffException(ctx, input),
});
