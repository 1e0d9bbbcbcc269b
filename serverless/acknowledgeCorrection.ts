import { AcknowledgeCorrectionInput, HandoffViewSchema } from '../src/api/contracts.js';
import * as corrections from '../src/app/corrections.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Finance or RevOps marks a change made in the finance system (a flagged manual correction) as reviewed. */
export const acknowledgeCorrection = defineHandler<
  typeof AcknowledgeCorrectionInput,
  typeof HandoffViewSchema,
  AppServices
>({
  name: 'acknowledgeCorrection',
  input: AcknowledgeCorrectionInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => corrections.acknowledgeCorrection(ctx, input),
});
