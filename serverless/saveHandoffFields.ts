import { HandoffViewSchema, SaveHandoffFieldsInput } from '../src/api/contracts.js';
import * as handoffs from '../src/app/handoff-service.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Saves changed handoff fields to HubSpot after validating each with the card's own schema; answers the fresh view. */
export const saveHandoffFields = defineHandler<typeof SaveHandoffFieldsInput, typeof HandoffViewSchema, AppServices>({
  name: 'saveHandoffFields',
  input: SaveHandoffFieldsInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => handoffs.saveHandoffFields(ctx, input),
});
