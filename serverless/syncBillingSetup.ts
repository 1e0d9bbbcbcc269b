import { HandoffViewSchema, SyncBillingSetupInput } from '../src/api/contracts.js';
import * as handoffs from '../src/app/handoff-service.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Queues billing setup for an accepted handoff, or a retry of a failed one; never calls a finance API inline. */
export const syncBillingSetup = defineHandler<typeof SyncBillingSetupInput, typeof HandoffViewSchema, AppServices>({
  name: 'syncBillingSetup',
  input: SyncBillingSetupInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => handoffs.syncBillingSetup(ctx, input),
});
