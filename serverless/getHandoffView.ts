import { GetHandoffViewInput, HandoffViewSchema } from '../src/api/contracts.js';
import * as handoffs from '../src/app/handoff-service.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Returns the deal's whole handoff view in one call: every handoff, fields and statuses, SLA, exceptions, thread, billing preview and status. */
export const getHandoffView = defineHandler<typeof GetHandoffViewInput, typeof HandoffViewSchema, AppServices>({
  name: 'getHandoffView',
  input: GetHandoffViewInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => handoffs.getHandoffView(ctx, input),
});
