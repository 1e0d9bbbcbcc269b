import { HandoffViewSchema, RequestExceptionInput } from '../src/api/contracts.js';
import * as handoffs from '../src/app/handoff-service.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** Requests an exception that waives blocking fields, for the template's exception owner to decide. */
export const requestException = defineHandler<typeof RequestExceptionInput, typeof HandoffViewSchema, AppServices>({
  name: 'requestException',
  input: RequestExceptionInput,
  output: HandoffViewSchema,
  handle: (input, ctx) => handoffs.requestHandoffException(ctx, input),
});
